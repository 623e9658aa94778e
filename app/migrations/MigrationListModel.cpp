#include "MigrationListModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace fuelsync {

MigrationListModel::MigrationListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void MigrationListModel::setOverview(const MigrationOverview &overview)
{
    beginResetModel();
    m_overview = overview;
    endResetModel();
}

const MigrationStatus::Version *MigrationListModel::versionAt(int row) const
{
    if (row < 0 || row >= m_overview.status.versions.size())
        return nullptr;
    return &m_overview.status.versions.at(row);
}

const MigrationFile *MigrationListModel::fileAt(int row) const
{
    const MigrationStatus::Version *v = versionAt(row);
    if (!v || !m_overview.set)
        return nullptr;
    const auto parsed = MigrationVersion::parse(v->version);
    return parsed ? m_overview.set->find(*parsed) : nullptr;
}

QList<LintFinding> MigrationListModel::lintOf(int row) const
{
    const MigrationStatus::Version *v = versionAt(row);
    if (!v)
        return {};
    const MigrationFile *file = fileAt(row);
    return m_overview.lint.forVersion(file ? file->version.text() : v->version);
}

int MigrationListModel::rowOf(const QString &version) const
{
    const auto wanted = MigrationVersion::parse(version);
    for (int row = 0; row < m_overview.status.versions.size(); ++row) {
        const auto here = MigrationVersion::parse(m_overview.status.versions.at(row).version);
        if (wanted && here && *wanted == *here)
            return row;
    }
    return -1;
}

int MigrationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_overview.status.versions.size());
}

int MigrationListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MigrationListModel::appliedText(const MigrationStatus::Version &v) const
{
    if (!v.fileExists)
        return tr("applied, file missing");
    if (!v.applicable)
        return tr("not for this environment");
    if (v.scope == MigrationScope::Public) {
        return v.appliedInPublic
            ? QLocale().toString(v.appliedAt.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"))
            : tr("pending");
    }
    if (v.tenantsTotal == 0)
        return tr("no tenants");
    if (v.tenantsApplied == v.tenantsTotal)
        return tr("all %L1 tenants").arg(v.tenantsTotal);
    return tr("%L1 of %L2 tenants").arg(v.tenantsApplied).arg(v.tenantsTotal);
}

QString MigrationListModel::lintText(const QString &version, bool *blocking) const
{
    int errors = 0;
    int warnings = 0;
    int acknowledged = 0;
    for (const LintFinding &f : m_overview.lint.forVersion(version)) {
        if (f.acknowledged)
            ++acknowledged;
        else if (f.severity == LintRule::Severity::Error)
            ++errors;
        else
            ++warnings;
    }
    *blocking = errors > 0;
    QStringList parts;
    if (errors)
        parts.append(tr("%n error(s)", nullptr, errors));
    if (warnings)
        parts.append(tr("%n warning(s)", nullptr, warnings));
    if (acknowledged)
        parts.append(tr("%n acknowledged", nullptr, acknowledged));
    return parts.isEmpty() ? tr("clean") : parts.join(QStringLiteral(", "));
}

QVariant MigrationListModel::data(const QModelIndex &index, int role) const
{
    const MigrationStatus::Version *v = versionAt(index.row());
    if (!v)
        return {};
    const bool pending = v->isPending();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case VersionColumn:
            return v->version;
        case ScopeColumn:
            return scopeName(v->scope);
        case DescriptionColumn:
            return v->description;
        case AppliedColumn:
            return appliedText(*v);
        case ChecksumColumn:
            switch (v->checksum) {
            case MigrationStatus::ChecksumState::Matches:
                return tr("matches");
            case MigrationStatus::ChecksumState::Changed:
                return tr("CHANGED in %n schema(s)", nullptr, int(v->changedIn.size()));
            case MigrationStatus::ChecksumState::NotRecorded:
                return tr("not recorded");
            case MigrationStatus::ChecksumState::NotApplied:
                return QStringLiteral("—");
            case MigrationStatus::ChecksumState::FileMissing:
                return tr("file missing");
            }
            return {};
        case LintColumn: {
            bool blocking = false;
            return v->fileExists ? lintText(v->version, &blocking) : QString();
        }
        case ApprovalColumn:
            if (v->approval)
                return tr("%1 · %2").arg(v->approval->approver(),
                                         QLocale().toString(v->approval->approvedAt.toLocalTime(),
                                                            QStringLiteral("yyyy-MM-dd")));
            if (v->voidedApproval)
                return tr("void: file changed since %1 approved")
                    .arg(v->voidedApproval->approvedBy);
            return pending ? tr("not approved") : QStringLiteral("—");
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == ChecksumColumn
            && v->checksum == MigrationStatus::ChecksumState::Changed)
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        if (index.column() == LintColumn) {
            bool blocking = false;
            lintText(v->version, &blocking);
            if (blocking)
                return QBrush(QColor(0xb7, 0x1c, 0x1c));
        }
        if (index.column() == ApprovalColumn && v->voidedApproval && !v->approval)
            return QBrush(QColor(0xb7, 0x1c, 0x1c));
        if (!pending && index.column() != VersionColumn)
            return QBrush(QColor(0x55, 0x5b, 0x63));
        return {};
    case Qt::FontRole:
        if (pending && index.column() == AppliedColumn) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == AppliedColumn && !v->tenantsBehind.isEmpty())
            return tr("Behind: %1")
                .arg(v->tenantsBehind.mid(0, 20).join(QStringLiteral(", "))
                     + (v->tenantsBehind.size() > 20 ? QStringLiteral(" …") : QString()));
        if (index.column() == DescriptionColumn)
            return v->file;
        if (index.column() == ApprovalColumn && v->approval && !v->approval->comment.isEmpty())
            return v->approval->comment;
        return {};
    default:
        return {};
    }
}

QVariant MigrationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case ScopeColumn:
        return tr("Scope");
    case DescriptionColumn:
        return tr("Description");
    case AppliedColumn:
        return tr("Applied");
    case ChecksumColumn:
        return tr("Checksum");
    case LintColumn:
        return tr("Lint");
    case ApprovalColumn:
        return tr("Approval");
    }
    return {};
}

} // namespace fuelsync
