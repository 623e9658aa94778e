#pragma once

#include <QString>

#include <exception>

namespace fuelsync {

// A request that cannot be carried out as asked (an unknown tenant, an invalid name, a version
// that does not exist). Nothing has been changed when it is thrown; the message says why.
class RequestError : public std::exception
{
public:
    explicit RequestError(QString message)
        : m_message(std::move(message))
        , m_what(m_message.toUtf8())
    { }
    const QString &message() const { return m_message; }
    const char *what() const noexcept override { return m_what.constData(); }
    // The exit status it ends a command with (ExitStatus): 1, unless the kind of refusal has its
    // own (another run holds the lock: 4; cancelled: 130).
    virtual int exitStatus() const { return 1; }

private:
    QString m_message;
    QByteArray m_what;
};

} // namespace fuelsync
