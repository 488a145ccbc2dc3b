// The GUI thread's view of the session: its own copy of the journal and the state folded
// from it. Batches of entries arrive from the engine thread; every view reads the state
// here, at the live end or (replay) at an earlier entry.
#pragma once

#include "model/journal.h"
#include "model/state.h"
#include "models/change_set.h"

#include <QObject>
#include <optional>
#include <span>
#include <vector>

namespace socklens::ui {

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    const Journal& journal() const { return journal_; }
    /// What the views show: the live state, or in replay the state after visibleEntries().
    const State& state() const { return replayEnd_ ? replayState_ : liveState_; }
    /// The live state, whatever the views show.
    const State& liveState() const { return liveState_; }

    /// Appends entries that follow the last one (from the engine, or read from a file).
    /// In replay they join the journal, and the views stay where they are.
    void append(std::vector<JournalEntry> entries);

    /// Replay: the views show the state after the first `count` entries (clamped); the
    /// journal's end is live again.
    void replayTo(int count);
    void returnToLive();
    bool replaying() const { return replayEnd_.has_value(); }
    /// The entries the views show: all of them live, the first replayTo() ones in replay.
    std::span<const JournalEntry> visibleEntries() const;

Q_SIGNALS:
    /// After `changes` were folded into state(); entries [first, first + count) are new.
    void changed(const socklens::ui::ChangeSet& changes, int first, int count);
    /// A command failed or a helper ended badly: the sentence for the message bar.
    void problem(const QString& sentence);
    /// Replay moved, began or ended (after the `changed` that updated the views).
    void replayMoved();

private:
    /// The views move from showing `from` entries to showing `to`.
    void moveViews(int from, int to);

    Journal journal_;
    State liveState_;
    State replayState_;               ///< the fold of the first *replayEnd_ entries
    std::optional<int> replayEnd_;    ///< set while replaying
    bool stepExpectsTrouble_ = false; ///< a scenario step that fails or kills on purpose runs
};

} // namespace socklens::ui
