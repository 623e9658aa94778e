#pragma once

#include "environment/DeploymentEnvironment.h"

#include <QFrame>

class QLabel;

namespace fuelsync {

// The strip across the top of the window that says which database this is: its environment in
// the environment's colour (production red, staging amber, development green), where it is, and
// whether the session is read-only. Always visible; a production connection cannot be mistaken.
class EnvironmentBanner : public QFrame
{
    Q_OBJECT

public:
    explicit EnvironmentBanner(QWidget *parent = nullptr);

    void showDisconnected(const QString &message);
    void showConnecting(const QString &target);
    // `why` says where the environment comes from ("declared by the database", "profile").
    // `access` says what the session may write ("READ-ONLY · enforced by the server
    // (fuelsync_support)"; empty: it may write what the login may); with `accessWarning` it is
    // shown as a warning (read-only for this session only, while the login can write).
    void showConnected(DeploymentEnvironment environment, const QString &why, const QString &target,
                       const QString &access, bool accessWarning, const QString &details);
    QString accessText() const;

    QString text() const;
    DeploymentEnvironment environment() const { return m_environment; }
    bool isConnected() const { return m_connected; }

private:
    void paint(const QColor &background, const QColor &foreground);

    QLabel *m_badge = nullptr;
    QLabel *m_target = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_access = nullptr;
    DeploymentEnvironment m_environment = DeploymentEnvironment::Development;
    bool m_connected = false;
};

} // namespace fuelsync
