#pragma once

#include <QString>

namespace fuelsync {

// What a change must be confirmed with before it runs. Core decides it, so the window and the
// terminal ask for the same changes in the same way; each front door asks in its own form (a
// dialog's field, a prompt, --yes in a script) and, without anyone to ask, refuses.
//
//     const ChangeConfirmation asked = plan.confirmation(environment, dryRun, database);
//     if (asked.needed() && !frontDoor.confirm(asked)) return; // nothing ran
struct ChangeConfirmation
{
    enum class Kind {
        None, // runs without a question
        Yes, // asked once: "yes" at the terminal, the confirm button in the window
        TypeName, // `answer` (a production database's name, a schema's) must be typed
    };
    Kind kind = Kind::None;
    QString what; // what is confirmed, to name it in a refusal: "A rollback"
    QString answer; // what must be typed: "yes", or the name

    bool needed() const { return kind != Kind::None; }
    bool typesName() const { return kind == Kind::TypeName; }

    static ChangeConfirmation none() { return {}; }
    static ChangeConfirmation yes(QString what)
    {
        return { Kind::Yes, std::move(what), QStringLiteral("yes") };
    }
    static ChangeConfirmation typeName(QString what, QString name)
    {
        return { Kind::TypeName, std::move(what), std::move(name) };
    }
};

} // namespace fuelsync
