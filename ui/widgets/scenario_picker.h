// Session ▸ Run scenario…: the built-in scenarios with the first line of each one's comment
// as its description, in natural order (claim-c2 before claim-c12), and a scenario file.
#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QListWidget;

namespace socklens::ui {

class ScenarioPicker : public QDialog {
    Q_OBJECT
public:
    explicit ScenarioPicker(QWidget* parent = nullptr);

    /// "builtin:NAME", or empty when the user wants to pick a file.
    QString chosen() const;
    /// The built-ins' names as listed.
    QStringList names() const;

    /// The first comment line of a scenario's text, without the "# ".
    static QString descriptionOf(const QString& text);

private:
    QListWidget* list_;
};

} // namespace socklens::ui
