#include "widgets/scenario_picker.h"

#include "models/text.h"
#include "scenario/builtin_scenarios.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

namespace socklens::ui {

namespace {

constexpr int kNameRole = Qt::UserRole + 1;

/// "claim-c2" before "claim-c12": runs of digits compare as numbers (the C locale's
/// collator has no numeric mode).
bool naturallyBefore(const QString& a, const QString& b) {
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype endA = i;
            qsizetype endB = j;
            while (endA < a.size() && a[endA].isDigit())
                ++endA;
            while (endB < b.size() && b[endB].isDigit())
                ++endB;
            const qulonglong numberA = a.mid(i, endA - i).toULongLong();
            const qulonglong numberB = b.mid(j, endB - j).toULongLong();
            if (numberA != numberB)
                return numberA < numberB;
            i = endA;
            j = endB;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

} // namespace

QString ScenarioPicker::descriptionOf(const QString& text) {
    for (const QString& line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u'#') && trimmed.size() > 1)
            return trimmed.mid(1).trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(u'#'))
            break; // the steps began: no description
    }
    return {};
}

ScenarioPicker::ScenarioPicker(QWidget* parent)
    : QDialog(parent)
    , list_(new QListWidget(this)) {
    setWindowTitle(tr("Run scenario"));
    list_->setAccessibleName(tr("Scenarios"));
    list_->setWordWrap(true);
    std::vector<std::pair<QString, QString>> builtins;
    for (const scenario::BuiltinScenario& builtin : scenario::builtinScenarios())
        builtins.emplace_back(qs(builtin.name), descriptionOf(qs(builtin.text)));
    std::sort(builtins.begin(), builtins.end(),
              [](const auto& a, const auto& b) { return naturallyBefore(a.first, b.first); });
    for (const auto& [name, description] : builtins) {
        auto* item = new QListWidgetItem(
            description.isEmpty() ? name : name + QStringLiteral(" — ") + description, list_);
        item->setData(kNameRole, name);
    }
    auto* file = new QListWidgetItem(tr("A scenario file…"), list_);
    file->setData(kNameRole, QString());
    list_->setCurrentRow(0);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Scenario to run live:"), this));
    layout->addWidget(list_);
    layout->addWidget(buttons);
    resize(640, 380);
}

QString ScenarioPicker::chosen() const {
    const QListWidgetItem* item = list_->currentItem();
    const QString name = item ? item->data(kNameRole).toString() : QString();
    return name.isEmpty() ? QString() : QStringLiteral("builtin:") + name;
}

QStringList ScenarioPicker::names() const {
    QStringList names;
    for (int row = 0; row < list_->count(); ++row) {
        const QString name = list_->item(row)->data(kNameRole).toString();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

} // namespace socklens::ui
