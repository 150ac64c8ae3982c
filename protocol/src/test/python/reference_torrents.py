#!/usr/bin/python3
"""Reference hybrid torrents from libtorrent, the implementation Starling's agents run.

Two uses:

  /usr/bin/python3 reference_torrents.py
      Creates the data files of HybridTorrentTest's cases in a temporary folder, builds a
      private hybrid (v1 + v2) torrent of each with libtorrent's create_torrent, and prints
      the v1 and v2 info-hashes (and a SHA-256 of the v2 piece layer) in the form that
      HybridTorrentTest freezes.

  /usr/bin/python3 reference_torrents.py --check DIR
      DIR holds pairs NAME.bin / NAME.torrent written by Starling (LibtorrentInteropTest does
      this). For each pair: build libtorrent's own torrent of NAME.bin with the same piece
      length and compare info dictionaries and info-hashes; then load Starling's .torrent in a
      libtorrent session over NAME.bin and require that checking ends as a 100 % seed, which
      proves the v1 piece hashes and the v2 piece layers. Exit status 0 when all agree.

Needs Debian's python3-libtorrent (apt-get install -y python3-libtorrent), run with
/usr/bin/python3, not a pyenv shim. Data: byte i of every file is (i * 31 + 7) % 251.
"""
import hashlib
import os
import sys
import tempfile
import time

import libtorrent as lt

KIB = 1024
DEFAULT_PIECE = 256 * KIB  # PieceLength.choose() for every size below

# name, size, piece length. Keep in sync with HybridTorrentTest.CASES.
CASES = [
    ("one-byte", 1, DEFAULT_PIECE),
    ("block-minus-one", 16 * KIB - 1, DEFAULT_PIECE),
    ("one-block", 16 * KIB, DEFAULT_PIECE),
    ("block-plus-one", 16 * KIB + 1, DEFAULT_PIECE),
    ("one-piece", DEFAULT_PIECE, DEFAULT_PIECE),
    ("piece-plus-one", DEFAULT_PIECE + 1, DEFAULT_PIECE),
    ("five-and-a-half-pieces", DEFAULT_PIECE * 11 // 2, DEFAULT_PIECE),
    ("thirty-three-pieces-and-100", DEFAULT_PIECE * 33 + 100, DEFAULT_PIECE),
    ("one-block-pieces", 16 * KIB * 33 + 100, 16 * KIB),
    ("two-block-pieces", 32 * KIB * 5 + 16 * KIB + 1, 32 * KIB),
    ("mebibyte-pieces", KIB * KIB * 13 // 4, KIB * KIB),
]


def pattern(size):
    period = bytes((i * 31 + 7) % 251 for i in range(251))
    return (period * (size // 251 + 1))[:size]


def reference(folder, name, piece_length):
    fs = lt.file_storage()
    fs.add_file(name, os.path.getsize(os.path.join(folder, name)))
    ct = lt.create_torrent(fs, piece_length)  # no flags: hybrid v1 + v2
    ct.set_priv(True)
    lt.set_piece_hashes(ct, folder)
    return ct.generate()


def hashes(torrent):
    """v1 info-hash, v2 info-hash (full 32 bytes) and SHA-256 of the piece layer, in hex."""
    info = lt.bencode(torrent[b"info"])
    layer = b"".join(torrent.get(b"piece layers", {}).values())
    layer_sha = hashlib.sha256(layer).hexdigest() if layer else ""
    return hashlib.sha1(info).hexdigest(), hashlib.sha256(info).hexdigest(), layer_sha


def print_reference():
    with tempfile.TemporaryDirectory() as folder:
        print("// name, size, piece length, v1 info-hash, v2 info-hash, SHA-256 of the piece layer")
        for name, size, piece_length in CASES:
            file_name = name + ".bin"
            with open(os.path.join(folder, file_name), "wb") as f:
                f.write(pattern(size))
            torrent = reference(folder, file_name, piece_length)
            v1, v2, layer = hashes(torrent)
            keys = sorted(k.decode() for k in torrent[b"info"].keys())
            print(f'new Case("{name}", {size}, {piece_length}, "{v1}", "{v2}", "{layer}"),  // info keys {keys}')
        print("// libtorrent " + lt.__version__)


def describe_difference(ours, theirs):
    diffs = []
    for key in sorted(set(ours) | set(theirs)):
        if key not in ours:
            diffs.append(f"only libtorrent has {key!r}")
        elif key not in theirs:
            diffs.append(f"only Starling has {key!r}")
        elif ours[key] != theirs[key]:
            diffs.append(f"{key!r} differs")
    return "; ".join(diffs) or "same values, different encoding"


def seeds_completely(folder, torrent_bytes):
    """None when libtorrent, having checked the data against the torrent, is a complete seed."""
    session = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
    })
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(lt.bdecode(torrent_bytes))
    params.save_path = folder
    handle = session.add_torrent(params)
    deadline = time.time() + 60
    while time.time() < deadline:
        session.wait_for_alert(500)
        for alert in session.pop_alerts():
            if isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                return f"libtorrent error: {alert.message()}"
            if isinstance(alert, lt.torrent_checked_alert):
                status = handle.status()
                if status.errc.value() != 0:
                    return f"libtorrent error: {status.errc.message()}"
                if not status.is_seeding or status.progress != 1.0:
                    return f"after checking: progress {status.progress:.4f}, not a seed (pieces fail their hashes)"
                return None
    return "checking did not finish within 60 s"


def check(folder):
    failures = 0
    names = sorted(n[:-len(".torrent")] for n in os.listdir(folder) if n.endswith(".torrent"))
    for name in names:
        with open(os.path.join(folder, name + ".torrent"), "rb") as f:
            ours_bytes = f.read()
        ours = lt.bdecode(ours_bytes)
        data_name = ours[b"info"][b"name"].decode()
        piece_length = ours[b"info"][b"piece length"]
        ref_folder = tempfile.mkdtemp()
        os.symlink(os.path.join(os.path.abspath(folder), data_name), os.path.join(ref_folder, data_name))
        theirs = reference(ref_folder, data_name, piece_length)
        ti = lt.torrent_info(lt.bdecode(ours_bytes))
        our_v1, our_v2 = str(ti.info_hashes().v1), str(ti.info_hashes().v2)
        ref_v1, ref_v2, _ = hashes(theirs)
        problems = []
        if (our_v1, our_v2) != (ref_v1, ref_v2):
            problems.append(f"info-hashes {our_v1}/{our_v2} != libtorrent {ref_v1}/{ref_v2}: "
                            + describe_difference(ours[b"info"], theirs[b"info"]))
        if ours.get(b"piece layers", {}) != theirs.get(b"piece layers", {}):
            problems.append("piece layers differ from libtorrent's")
        problem = seeds_completely(folder, ours_bytes)
        if problem:
            problems.append(problem)
        print(f"{name}: v1 {our_v1} v2 {our_v2} " + ("OK" if not problems else "FAIL " + " | ".join(problems)))
        failures += bool(problems)
    if not names:
        print(f"no .torrent files in {folder}")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        code = check(sys.argv[2])
        # Leave without the interpreter's teardown: Debian's python3-libtorrent now and then dies
        # with SIGSEGV while sessions are destroyed at exit, after every verdict was printed.
        sys.stdout.flush()
        os._exit(code)
    elif len(sys.argv) == 1:
        print_reference()
    else:
        sys.exit(__doc__)
