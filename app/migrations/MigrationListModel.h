#pragma once

#include "migrate/MigrationOverview.h"

#include <QAbstractTableModel>

namespace fuelsync {

// The Migrations view's table: one row per version, with where it stands in this database, its
// checksum state, its lint findings and its approval.
class MigrationListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        VersionColumn,
        ScopeColumn,
        DescriptionColumn,
        AppliedColumn,
        ChecksumColumn,
        LintColumn,
        ApprovalColumn,
        ColumnCount
    };

    explicit MigrationListModel(QObject *parent = nullptr);

    void setOverview(const MigrationOverview &overview);
    const MigrationOverview &overview() const { return m_overview; }
    const MigrationStatus::Version *versionAt(int row) const;
    // The file of a row; null when the version is applied but has no file.
    const MigrationFile *fileAt(int row) const;
    QList<LintFinding> lintOf(int row) const;
    int rowOf(const QString &version) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString appliedText(const MigrationStatus::Version &v) const;
    QString lintText(const QString &version, bool *blocking) const;

    MigrationOverview m_overview;
};

} // namespace fuelsync
