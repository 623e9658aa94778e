#include "EnvironmentBanner.h"

#include <QHBoxLayout>
#include <QLabel>

namespace fuelsync {

EnvironmentBanner::EnvironmentBanner(QWidget *parent)
    : QFrame(parent)
{
    setAutoFillBackground(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 5, 10, 5);
    layout->setSpacing(12);
    m_badge = new QLabel(this);
    QFont bold = m_badge->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_badge->setFont(bold);
    m_target = new QLabel(this);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new QLabel(this);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // What the session may write, as a chip of its own so it reads on every environment colour.
    m_access = new QLabel(this);
    m_access->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_access->hide();
    layout->addWidget(m_badge);
    layout->addWidget(m_target, 1);
    layout->addWidget(m_access);
    layout->addWidget(m_details);
    showDisconnected(tr("Not connected"));
}

void EnvironmentBanner::paint(const QColor &background, const QColor &foreground)
{
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, foreground);
    setPalette(p);
    for (QLabel *label : { m_badge, m_target, m_details })
        label->setPalette(p);
}

void EnvironmentBanner::showDisconnected(const QString &message)
{
    m_connected = false;
    paint(QColor(0xe8, 0xea, 0xed), QColor(0x3c, 0x40, 0x43));
    m_badge->setText(tr("NOT CONNECTED"));
    m_target->setText(message);
    m_details->clear();
    m_access->clear();
    m_access->hide();
}

void EnvironmentBanner::showConnecting(const QString &target)
{
    m_connected = false;
    paint(QColor(0xe8, 0xea, 0xed), QColor(0x3c, 0x40, 0x43));
    m_badge->setText(tr("CONNECTING"));
    m_target->setText(target);
    m_details->clear();
    m_access->clear();
    m_access->hide();
}

void EnvironmentBanner::showConnected(DeploymentEnvironment environment, const QString &why,
                                      const QString &target, const QString &access,
                                      bool accessWarning, const QString &details)
{
    m_connected = true;
    m_environment = environment;
    switch (environment) {
    case DeploymentEnvironment::Production:
        paint(QColor(0xb3, 0x26, 0x1e), Qt::white);
        m_badge->setText(tr("PRODUCTION"));
        break;
    case DeploymentEnvironment::Staging:
        paint(QColor(0xf2, 0xa6, 0x00), QColor(0x20, 0x20, 0x20));
        m_badge->setText(tr("STAGING"));
        break;
    case DeploymentEnvironment::Development:
        paint(QColor(0x1e, 0x7e, 0x34), Qt::white);
        m_badge->setText(tr("DEVELOPMENT"));
        break;
    }
    m_badge->setToolTip(why);
    m_target->setText(target + (why.isEmpty() ? QString() : QStringLiteral("  ·  ") + why));
    m_details->setText(details);
    m_access->setText(access);
    m_access->setVisible(!access.isEmpty());
    // White on dark green when the server enforces it; dark on amber when only this session is
    // read-only and the login itself could write.
    m_access->setStyleSheet(
        accessWarning
            ? QStringLiteral("QLabel { background: #ffd54f; color: #3e2723; border-radius: 3px; "
                             "padding: 2px 8px; font-weight: bold; }")
            : QStringLiteral("QLabel { background: rgba(0, 0, 0, 0.35); color: white; "
                             "border-radius: 3px; padding: 2px 8px; font-weight: bold; }"));
}

QString EnvironmentBanner::accessText() const
{
    return m_access->text();
}

QString EnvironmentBanner::text() const
{
    return QStringList { m_badge->text(), m_target->text(), m_access->text(), m_details->text() }
        .join(QStringLiteral(" | "));
}

} // namespace fuelsync
