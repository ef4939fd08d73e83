#!/bin/sh
# Installs Conference Desk for the current user (no root, no Python needed):
#   the application   ${XDG_DATA_HOME:-~/.local/share}/conference-desk/app/
#   the command       ~/.local/bin/conference-desk
#   the menu entry    ${XDG_DATA_HOME}/applications/conference-desk.desktop
#   the icon          ${XDG_DATA_HOME}/icons/hicolor/scalable/{apps,mimetypes}/
#   the .deskdb type  ${XDG_DATA_HOME}/mime/packages/conference-desk.xml
#
#   ./install.sh               install (or update) from this folder
#   ./install.sh --uninstall   remove all of the above; the databases and settings stay
#                              (~/.local/share/conference-desk/*.sqlite, ~/.config/Conference Desk)
# An installed copy of this script is kept beside the application for --uninstall:
#   ~/.local/share/conference-desk/install.sh --uninstall
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
bin_dir=${CONFERENCE_DESK_BIN_DIR:-$HOME/.local/bin}
home_dir=$data_home/conference-desk
app_dir=$home_dir/app
launcher=$bin_dir/conference-desk
desktop_file=$data_home/applications/conference-desk.desktop
icon_app=$data_home/icons/hicolor/scalable/apps/conference-desk.svg
icon_mime=$data_home/icons/hicolor/scalable/mimetypes/application-x-conference-desk.svg
mime_file=$data_home/mime/packages/conference-desk.xml

say() { printf '%s\n' "$*"; }
# A sentence in the organiser's language, from the bundled program (desktop.cli.install_words);
# the English given first when the program cannot say it.
says() {
    english=$1; program=$2; shift 2
    "$program" --install-says "$@" 2>/dev/null || say "$english"
}
have() { command -v "$1" >/dev/null 2>&1; }

refresh_desktop() {
    if have update-mime-database; then update-mime-database "$data_home/mime" >/dev/null 2>&1 || true; fi
    if have update-desktop-database; then update-desktop-database "$data_home/applications" >/dev/null 2>&1 || true; fi
    if have gtk-update-icon-cache && [ -f "$data_home/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$data_home/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

uninstall() {
    done_words=$(says "Conference Desk is uninstalled. Your databases and settings were kept." \
        "$app_dir/conference-desk" uninstalled)  # asked while the program is still there
    rm -rf "$app_dir" "$app_dir.new"
    rm -f "$home_dir/install.sh" "$home_dir/VERSION" "$desktop_file" "$icon_app" "$icon_mime" "$mime_file"
    if [ -f "$launcher" ] && grep -q 'conference-desk/app/conference-desk' "$launcher" 2>/dev/null; then
        rm -f "$launcher"
    fi
    refresh_desktop
    rmdir "$home_dir" 2>/dev/null || true  # only when empty: a database here stays
    say "$done_words"
}

install() {
    if [ ! -x "$here/app/conference-desk" ]; then
        say "install.sh: run it from the unpacked conference-desk folder (app/conference-desk is missing)" >&2
        exit 1
    fi
    mkdir -p "$home_dir" "$bin_dir" "$(dirname "$desktop_file")" "$(dirname "$icon_app")" \
             "$(dirname "$icon_mime")" "$(dirname "$mime_file")"
    # A new copy beside the old one, then swapped: a failed copy leaves the old installation.
    rm -rf "$app_dir.new"
    cp -R "$here/app" "$app_dir.new"
    rm -rf "$app_dir"
    mv "$app_dir.new" "$app_dir"
    cp "$here/install.sh" "$home_dir/install.sh"
    chmod 755 "$home_dir/install.sh"
    [ -f "$here/VERSION" ] && cp "$here/VERSION" "$home_dir/VERSION"

    cat > "$launcher" <<LAUNCHER
#!/bin/sh
exec "$app_dir/conference-desk" "\$@"
LAUNCHER
    chmod 755 "$launcher"

    # The menu entry runs the launcher by its full path: ~/.local/bin is not on every session's PATH.
    sed -e "s|^Exec=conference-desk|Exec=$launcher|" -e "s|^TryExec=conference-desk|TryExec=$launcher|" \
        "$here/conference-desk.desktop" > "$desktop_file"
    chmod 644 "$desktop_file"
    cp "$here/conference-desk.svg" "$icon_app"
    cp "$here/conference-desk.svg" "$icon_mime"
    cp "$here/conference-desk-mime.xml" "$mime_file"
    refresh_desktop
    if have xdg-mime; then
        xdg-mime default conference-desk.desktop application/x-conference-desk >/dev/null 2>&1 || true
    fi

    says "Conference Desk is installed: $launcher" "$app_dir/conference-desk" installed "$launcher"
    case ":$PATH:" in
        *":$bin_dir:"*) ;;
        *) says "($bin_dir is not on your PATH: start it from the applications menu, or by its full path.)" \
               "$app_dir/conference-desk" not-on-path "$bin_dir" ;;
    esac
    says "To remove it: $home_dir/install.sh --uninstall" "$app_dir/conference-desk" to-remove \
        "$home_dir/install.sh --uninstall"
}

case "${1:-}" in
    "") install ;;
    --uninstall) uninstall ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) says "install.sh: unknown option $1 (use --uninstall, or no option to install)" \
           "$here/app/conference-desk" unknown-option "$1" >&2; exit 2 ;;
esac
