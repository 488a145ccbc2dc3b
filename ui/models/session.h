// The GUI thread's view of the session: its own copy of the journal and the state folded
// from it. Batches of entries arrive from the engine thread; every view reads the state
// here, at the live end or (replay) at an earlier entry.
#pragma once

#include "model/journal.h"
#include "model/state.h"
#include "models/change_set.h"

#include <QObject>
#include <vector>

namespace socklens::ui {

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    const Journal& journal() const { return journal_; }
    const State& state() const { return state_; }

    /// Appends entries that follow the last one (from the engine, or read from a file).
    void append(const std::vector<JournalEntry>& entries);

Q_SIGNALS:
    /// After `changes` were folded into state(); entries [first, first + count) are new.
    void changed(const socklens::ui::ChangeSet& changes, int first, int count);
    /// A command failed or a helper ended badly: the sentence for the message bar.
    void problem(const QString& sentence);

private:
    Journal journal_;
    State state_;
};

} // namespace socklens::ui
