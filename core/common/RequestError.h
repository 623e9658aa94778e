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

private:
    QString m_message;
    QByteArray m_what;
};

} // namespace fuelsync
