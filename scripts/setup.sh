# Sourced by scripts/peel and scripts/test: installs what a fresh machine lacks.
# libedit-dev (headers and pkg-config file for the line editor) comes from Debian's packages.
ensure_deps() {
    if ! pkg-config --exists libedit 2>/dev/null || [ ! -f /usr/include/histedit.h ] || [ ! -f /usr/include/zlib.h ] || [ ! -f /usr/include/zstd.h ]; then
        echo "peel: installing libedit-dev, zlib1g-dev and libzstd-dev (the line editor, .gz reading, zstd in Parquet files)..." >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
        $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq libedit-dev zlib1g-dev libzstd-dev pkg-config >&2 || {
            echo "peel: could not install libedit-dev; install them with: apt-get install -y libedit-dev zlib1g-dev libzstd-dev" >&2
            return 1
        }
    fi
    if ! command -v swift >/dev/null; then
        if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"
        else echo "peel: Swift 6 is needed (https://swift.org/install)" >&2; return 1; fi
    fi
}
