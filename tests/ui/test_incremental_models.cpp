// The models update by key from each batch's ChangeSet. Fed random batches (opens, closes,
// handles reused for other sockets, processes exiting, counts, options) and moved through
// replay, every model must list exactly what a rebuild from the state lists, and every cell
// a view cached from the models' signals must equal what the model shows now: a missed
// insert, remove or dataChanged fails here.
#include "live_session.h"
#include "models/descriptors_model.h"
#include "models/null_commands.h"
#include "models/options_matrix_model.h"
#include "models/process_descriptors_proxy.h"
#include "models/processes_model.h"
#include "models/sockets_model.h"
#include "models/style_roles.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>
#include <map>
#include <random>

using namespace socklens;
using namespace socklens::ui;

namespace {

/// What a view would show, kept up to date only through the model's signals.
class Mirror {
public:
    explicit Mirror(QAbstractItemModel& model)
        : model_(model) {
        rows_ = readAll();
        QObject::connect(&model, &QAbstractItemModel::rowsInserted, &model,
                         [this](const QModelIndex&, int first, int last) {
                             for (int row = first; row <= last; ++row)
                                 rows_.insert(rows_.begin() + row, read(row));
                         });
        QObject::connect(&model, &QAbstractItemModel::rowsRemoved, &model,
                         [this](const QModelIndex&, int first, int last) {
                             rows_.erase(rows_.begin() + first, rows_.begin() + last + 1);
                         });
        QObject::connect(&model, &QAbstractItemModel::dataChanged, &model,
                         [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                             for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
                                 rows_[std::size_t(row)] = read(row);
                         });
        QObject::connect(&model, &QAbstractItemModel::modelReset, &model, [this] { ++resets_; });
        QObject::connect(&model, &QAbstractItemModel::layoutChanged, &model, [this] { ++resets_; });
    }

    /// Empty when the cached rows equal the model's; else the first row that differs.
    QString difference() const {
        const std::vector<QStringList> now = readAll();
        if (resets_ > 0)
            return QStringLiteral("the model was reset or relaid out");
        if (now.size() != rows_.size())
            return QStringLiteral("%1 rows cached, %2 now").arg(rows_.size()).arg(now.size());
        for (std::size_t row = 0; row < now.size(); ++row) {
            if (now[row] != rows_[row])
                return QStringLiteral("row %1: cached [%2], now [%3]")
                    .arg(row)
                    .arg(rows_[row].join(u'|'), now[row].join(u'|'));
        }
        return {};
    }

private:
    QStringList read(int row) const {
        QStringList cells;
        for (int column = 0; column < model_.columnCount(); ++column) {
            const QModelIndex index = model_.index(row, column);
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(HighlightedRole)})
                cells << index.data(role).toString();
        }
        return cells;
    }
    std::vector<QStringList> readAll() const {
        std::vector<QStringList> rows;
        for (int row = 0; row < model_.rowCount(); ++row)
            rows.push_back(read(row));
        return rows;
    }

    QAbstractItemModel& model_;
    std::vector<QStringList> rows_;
    int resets_ = 0;
};

/// Makes journal batches for Session::append from random steps of a made-up session.
class RandomSession {
public:
    explicit RandomSession(unsigned seed)
        : random_(seed) {}

    std::vector<JournalEntry> batch() {
        batch_.clear();
        const int steps = pick(1, 12);
        for (int i = 0; i < steps; ++i)
            step();
        return std::move(batch_);
    }
    std::vector<JournalEntry> start(int processes) {
        batch_.clear();
        for (int i = 0; i < processes; ++i)
            startProcess();
        // Never closed: its row must keep its persistent index through everything.
        pinned = openNew(alive_.front());
        return std::move(batch_);
    }

    DescriptorRef pinned;

private:
    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    template <class T> T& any(std::vector<T>& items) {
        return items[std::size_t(pick(0, int(items.size()) - 1))];
    }

    void add(EntryPayload payload) {
        batch_.push_back(JournalEntry{Sequence(++sequence_), std::int64_t(sequence_) * 1000,
                                      std::move(payload)});
    }

    void step() {
        const int kind = pick(0, 99);
        if (kind < 30 || open_.size() < 4)
            openNew(any(alive_));
        else if (kind < 45)
            duplicate();
        else if (kind < 65)
            close(anyOpen());
        else if (kind < 72)
            reuse();
        else if (kind < 85)
            count(any(sockets_));
        else if (kind < 93)
            add(entry::OptionObserved{anyOpen(), SocketOption::RcvBuf, pick(1, 9) * 1000, 0});
        else if (kind < 96 && alive_.size() > 2)
            exitProcess();
        else if (kind < 98)
            startProcess();
        else
            add(entry::CountObserved{SocketId(++lastSocket_), 1, 0, {}}); // never identified
    }

    void startProcess() {
        const ProcessId id(++lastProcess_);
        add(entry::ProcessStarted{id,
                                  OsPid(1000 + id.value()),
                                  "P" + std::to_string(id.value()),
                                  Platform::Linux,
                                  true,
                                  {}});
        alive_.push_back(id);
    }
    void exitProcess() {
        const auto it = alive_.begin() + pick(1, int(alive_.size()) - 1); // not the pinned one
        add(entry::ProcessExited{*it, "killed"});
        std::erase_if(open_, [&](const auto& open) { return open.first.process == *it; });
        alive_.erase(it);
    }
    DescriptorRef openNew(ProcessId process) {
        const SocketId socket(++lastSocket_);
        add(entry::SocketIdentified{socket, 5000 + socket.value(), SocketKindSeen::UnixStream, 1, 1,
                                    0, "@" + std::to_string(socket.value()), "", ""});
        sockets_.push_back(socket);
        return open(process, socket);
    }
    DescriptorRef open(ProcessId process, SocketId socket) {
        const DescriptorRef ref{process, Handle(++lastHandle_[process])};
        add(entry::DescriptorOpened{ref, socket, DescriptorOrigin::Created});
        open_.emplace(ref, socket);
        return ref;
    }
    void duplicate() {
        const auto [ref, socket] = *std::next(open_.begin(), pick(0, int(open_.size()) - 1));
        open(any(alive_), socket);
        count(socket);
    }
    DescriptorRef anyOpen() {
        for (;;) {
            const DescriptorRef ref =
                std::next(open_.begin(), pick(0, int(open_.size()) - 1))->first;
            if (ref != pinned)
                return ref;
        }
    }
    void close(const DescriptorRef& ref) {
        add(entry::DescriptorClosed{ref, DescriptorEnd::Closed});
        const SocketId socket = open_.at(ref);
        open_.erase(ref);
        count(socket);
    }
    /// The OS hands out a closed fd number again, for another socket.
    void reuse() {
        const DescriptorRef ref = anyOpen();
        close(ref);
        const SocketId socket(any(sockets_));
        add(entry::DescriptorOpened{ref, socket, DescriptorOrigin::Observed});
        open_.emplace(ref, socket);
        count(socket);
    }
    void count(SocketId socket) {
        const auto holders = std::count_if(open_.begin(), open_.end(),
                                           [&](const auto& open) { return open.second == socket; });
        add(entry::CountObserved{socket, std::int32_t(holders), 0, {}});
    }

    std::mt19937 random_;
    std::vector<JournalEntry> batch_;
    std::uint64_t sequence_ = 0;
    std::uint32_t lastProcess_ = 0;
    std::uint32_t lastSocket_ = 0;
    std::map<ProcessId, std::int64_t> lastHandle_;
    std::vector<ProcessId> alive_;
    std::vector<SocketId> sockets_;
    std::map<DescriptorRef, SocketId> open_;
};

/// The models under test, each with a tester and a mirror.
struct Models {
    Models(Session& session, Commands& commands)
        : descriptors(session, commands)
        , processes(session)
        , sockets(session)
        , options(session, commands) {}

    void watch(QAbstractItemModel& model) {
        new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal,
                                     &model);
        mirrors.emplace_back(&model, std::make_unique<Mirror>(model));
    }

    DescriptorsModel descriptors;
    ProcessesModel processes;
    SocketsModel sockets;
    OptionsMatrixModel options;
    std::vector<std::unique_ptr<ProcessDescriptorsProxy>> panes;
    std::vector<std::pair<QAbstractItemModel*, std::unique_ptr<Mirror>>> mirrors;
};

/// Every model lists what a rebuild from `state` lists, and its cached cells are current.
void expectMatchesState(const Models& models, const State& state, const std::string& when) {
    SCOPED_TRACE(when);
    std::vector<DescriptorRef> open;
    for (const auto& [ref, descriptor] : state.descriptors) {
        if (descriptor.open)
            open.push_back(ref);
    }
    EXPECT_EQ(models.descriptors.keys(), open);
    for (const auto& [id, socket] : state.sockets) {
        std::vector<DescriptorRef> ofSocket;
        for (const DescriptorState* descriptor : state.descriptorsOf(id))
            ofSocket.push_back(descriptor->ref);
        EXPECT_EQ(models.descriptors.rowsOfSocket(id), ofSocket) << "socket " << id.value();
    }

    std::vector<SocketId> identified;
    for (const auto& [id, socket] : state.sockets) {
        if (socket.identity != 0)
            identified.push_back(id);
    }
    EXPECT_EQ(models.sockets.keys(), identified);

    std::vector<ProcessId> processes;
    for (const auto& [id, process] : state.processes)
        processes.push_back(id);
    EXPECT_EQ(models.processes.keys(), processes);

    for (const auto& pane : models.panes) {
        std::vector<DescriptorRef> shown;
        for (int row = 0; row < pane->rowCount(); ++row)
            shown.push_back(DescriptorRef{
                ProcessId(pane->index(row, 0).data(DescriptorsModel::ProcessRole).toUInt()),
                Handle(pane->index(row, 0).data(DescriptorsModel::HandleRole).toLongLong())});
        std::vector<DescriptorRef> expected;
        std::copy_if(open.begin(), open.end(), std::back_inserter(expected),
                     [&](const DescriptorRef& ref) { return ref.process == pane->process(); });
        EXPECT_EQ(shown, expected) << "pane of P" << pane->process().value();
    }

    std::vector<DescriptorRef> ofSelected;
    for (const DescriptorState* descriptor : state.descriptorsOf(models.options.socket()))
        ofSelected.push_back(descriptor->ref);
    EXPECT_EQ(models.options.keys(), ofSelected);

    for (const auto& [model, mirror] : models.mirrors)
        EXPECT_EQ(mirror->difference(), QString()) << model->metaObject()->className();
}

} // namespace

TEST(UiIncrementalModels, RandomBatchesAndReplayLeaveEveryModelAsARebuildWouldBe) {
    Session session;
    NullCommands commands; // no broker entries may reach `session`
    RandomSession random(20240611);
    session.append(random.start(4));

    Models models(session, commands);
    for (ProcessId process : {ProcessId(1), ProcessId(2), ProcessId(3), ProcessId(4)})
        models.panes.push_back(
            std::make_unique<ProcessDescriptorsProxy>(models.descriptors, process));
    models.options.setSocket(SocketId(1)); // the pinned descriptor's socket
    for (QAbstractItemModel* model : std::initializer_list<QAbstractItemModel*>{
             &models.descriptors, &models.processes, &models.sockets, &models.options})
        models.watch(*model);
    for (const auto& pane : models.panes)
        models.watch(*pane);
    const QPersistentModelIndex pinned(
        models.descriptors.index(models.descriptors.rowOf(random.pinned), 0));
    ASSERT_TRUE(pinned.isValid());

    for (int batch = 0; batch < 150; ++batch) {
        session.append(random.batch());
        if (batch % 50 == 49) // a highlighted socket repaints its rows in every pane
            models.descriptors.setHighlightedSocket(SocketId(std::uint32_t(batch / 10)));
        expectMatchesState(models, session.state(), "batch " + std::to_string(batch));
        ASSERT_EQ(models.descriptors.keyAt(pinned.row()), random.pinned);
        if (::testing::Test::HasFailure())
            return;
    }

    const int size = int(session.journal().entries().size());
    for (int to : {size / 2, size / 5, size - 3, 7, size / 3}) {
        session.replayTo(to);
        expectMatchesState(models, session.state(), "replay to " + std::to_string(to));
        session.append(random.batch()); // joins the journal; the views stay in the past
        expectMatchesState(models, session.state(), "appended in replay");
    }
    session.returnToLive();
    expectMatchesState(models, session.state(), "back to live");
    EXPECT_EQ(models.descriptors.keyAt(pinned.row()), random.pinned);
}
