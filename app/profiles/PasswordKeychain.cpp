#include "PasswordKeychain.h"

#include <qt6keychain/keychain.h>

namespace fuelsync {

namespace {

const QString service = QStringLiteral("FuelSync Admin");

} // namespace

PasswordKeychain::PasswordKeychain(QObject *parent)
    : QObject(parent)
{
    if (qEnvironmentVariableIsSet("FUELSYNC_NO_KEYCHAIN"))
        m_state = State::Unavailable;
}

QString PasswordKeychain::keyFor(const QString &profile, const ConnectionSettings &settings)
{
    return profile + u'\x1f' + settings.user() + u'@' + settings.host();
}

void PasswordKeychain::probe(const std::function<void(bool)> &done)
{
    if (m_state != State::Unknown) {
        done(m_state == State::Available);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(QStringLiteral("fuelsync-admin keychain probe"));
    connect(job, &QKeychain::Job::finished, this, [this, done](QKeychain::Job *finished) {
        // "Not found" means the keychain answered; anything else means there is none to use.
        const auto error = finished->error();
        const bool available = error == QKeychain::NoError || error == QKeychain::EntryNotFound;
        m_state = available ? State::Available : State::Unavailable;
        done(available);
    });
    job->start();
}

void PasswordKeychain::read(const QString &key, const std::function<void(bool, QString)> &done)
{
    if (m_state == State::Unavailable) {
        done(false, QString());
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(finished);
        const bool found = finished->error() == QKeychain::NoError;
        done(found, found ? readJob->textData() : QString());
    });
    job->start();
}

void PasswordKeychain::write(const QString &key, const QString &password,
                             const std::function<void(bool, QString)> &done)
{
    if (m_state == State::Unavailable) {
        done(false, tr("no keychain is available"));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        done(finished->error() == QKeychain::NoError, finished->errorString());
    });
    job->start();
}

void PasswordKeychain::remove(const QString &key)
{
    if (m_state == State::Unavailable)
        return;
    auto *job = new QKeychain::DeletePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->start();
}

} // namespace fuelsync
