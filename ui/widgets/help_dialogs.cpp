#include "widgets/help_dialogs.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

// The resources live in a static library: registered by hand (again is harmless), outside
// any namespace, so the guide is there whoever made the window (the app or a test).
static void initHelpResources() {
    Q_INIT_RESOURCE(socklens);
}

namespace socklens::ui {

namespace {

QDialog* dialogWith(QWidget* window, const QString& title, QWidget* content) {
    auto* dialog = new QDialog(window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    content->setParent(dialog);
    layout->addWidget(content);
    layout->addWidget(buttons);
    return dialog;
}

} // namespace

void showKeyboardShortcuts(QWidget* window) {
    std::vector<std::pair<QString, QString>> rows;
    for (const QAction* action : window->findChildren<QAction*>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        QString text = action->text();
        text.remove(QLatin1Char('&'));
        rows.emplace_back(text, action->shortcut().toString(QKeySequence::NativeText));
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    auto* table = new QTableWidget(int(rows.size()), 2);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setAccessibleName(QDialog::tr("Keyboard shortcuts"));
    table->setHorizontalHeaderLabels({QDialog::tr("Action"), QDialog::tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setTabKeyNavigation(false);
    for (int row = 0; row < int(rows.size()); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(rows[std::size_t(row)].first));
        table->setItem(row, 1, new QTableWidgetItem(rows[std::size_t(row)].second));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    QDialog* dialog = dialogWith(window, QDialog::tr("Keyboard shortcuts"), table);
    dialog->resize(520, 560);
    dialog->show();
}

void showUserGuide(QWidget* window) {
    initHelpResources();
    QFile guide(QStringLiteral(":/docs/user-guide.md"));
    auto* browser = new QTextBrowser;
    browser->setObjectName(QStringLiteral("userGuide"));
    browser->setAccessibleName(QDialog::tr("User guide"));
    browser->setOpenExternalLinks(true);
    if (guide.open(QIODevice::ReadOnly))
        browser->setMarkdown(QString::fromUtf8(guide.readAll()));
    else
        browser->setPlainText(QDialog::tr("The user guide is missing from this build."));
    QDialog* dialog = dialogWith(window, QDialog::tr("socklens user guide"), browser);
    dialog->resize(760, 680);
    dialog->show();
}

} // namespace socklens::ui
