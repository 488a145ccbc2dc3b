#!/usr/bin/env bash
# Builds the .deb and checks it as a user would meet it: the desktop entry and AppStream
# metainfo validate, apt installs it, the installed programs run from /usr/bin (no build
# tree), and apt remove leaves nothing of it behind. CI runs it; it installs and removes the
# socklens package on this machine, so it asks for root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "package-check: run as root (it installs and removes the socklens package)" >&2
    exit 2
fi
if dpkg-query -W -f='${Status}' socklens 2>/dev/null | grep -q "install ok installed"; then
    echo "package-check: socklens is already installed here; remove it first" >&2
    exit 2
fi

step() { echo "package-check: $*"; }

step "building the packages"
cmake --preset release >/dev/null
cmake --build --preset release
(cd build/release && cpack -G "DEB;TGZ" >/dev/null)
deb=$(ls build/release/socklens_*.deb)
step "made $deb and $(ls build/release/socklens-*.tar.gz)"

step "validating the desktop entry and the AppStream metainfo"
desktop-file-validate installer/linux/io.github.socklens.Socklens.desktop
appstreamcli validate --no-net --pedantic build/release/installer/io.github.socklens.Socklens.metainfo.xml

step "installing with apt"
apt-get install -y -qq "./$deb" >/dev/null
dpkg-query -L socklens >/tmp/socklens-installed.txt

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Nothing from the build tree: the installed programs find their helpers themselves.
unset SOCKLENS_HELPER SOCKLENS_WINSOCK_HELPER
for program in socklens socklens-cli socklens-helper; do
    version=$(QT_QPA_PLATFORM=offscreen "/usr/bin/$program" --version)
    step "$version"
    [ "$version" = "$program $(sed -n 's/^project(socklens VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ]
done
# The CLI starts without Qt; its HTML and PDF reports come from the private renderer.
if ldd /usr/bin/socklens-cli | grep -q libQt6; then
    echo "socklens-cli links Qt" >&2
    exit 1
fi
(cd "$scratch" && /usr/bin/socklens-cli run builtin:handoff --quiet --report report.json \
    --session session.jsonl && /usr/bin/socklens-cli report session.jsonl -o report.pdf)
grep -q '"C11"' "$scratch/report.json"
[ "$(head -c 5 "$scratch/report.pdf")" = "%PDF-" ]
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$scratch" \
    /usr/bin/socklens --screenshot "$scratch/window.png" >/dev/null
[ -s "$scratch/window.png" ]
step "the installed socklens-cli ran builtin:handoff and made a PDF report; socklens rendered a screenshot"
if [ -f /usr/lib/socklens/socklens-helper.exe ] && command -v wine >/dev/null; then
    (cd "$scratch" && /usr/bin/socklens-cli run builtin:handoff --backend winsock --quiet)
    step "the installed Winsock helper ran builtin:handoff under Wine"
fi

step "removing with apt"
apt-get remove -y -qq socklens >/dev/null
left=()
while read -r path; do
    if [ -e "$path" ] && [ ! -d "$path" ]; then left+=("$path"); fi
done </tmp/socklens-installed.txt
# Directories the package made for itself must be gone too.
for directory in /usr/share/socklens /usr/lib/socklens /usr/share/doc/socklens; do
    if [ -e "$directory" ]; then left+=("$directory"); fi
done
if [ ${#left[@]} -gt 0 ]; then
    echo "package-check: apt remove left behind: ${left[*]}" >&2
    exit 1
fi
step "apt remove left nothing behind"
