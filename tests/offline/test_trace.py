"""The strace reading the offline test relies on: it must catch what it is meant to catch."""

from __future__ import annotations

from pathlib import Path

from tests.offline.trace import created_under, make_sandbox, network_violations

LOG = """\
101 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3
101 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 4
102 socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 5
103 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP <unfinished ...>
104 connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0
105 sendto(7, "x", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0)}, 28) = 1
106 connect(8, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 110) = 0
"""


def test_inet_sockets_and_dns_packets_are_caught_unix_and_netlink_are_not() -> None:
    found = network_violations(LOG)
    assert [line.split()[0] for line in found] == ["102", "103", "104", "105"]


def test_files_created_under_home_are_caught(tmp_path: Path) -> None:
    box = make_sandbox(tmp_path)
    home = box.home
    log = "\n".join(
        [
            f'1 openat(AT_FDCWD, "{home}/.cache/x/deviceid", O_RDWR|O_CREAT|O_CLOEXEC, 0644) = 3',
            f'1 openat(AT_FDCWD, "{home}/.config/read.conf", O_RDONLY|O_CLOEXEC) = 4',
            f'1 mkdir("{home}/.cache/Microsoft", 0755) = 0',
            f'1 mkdir("{home}/.cache", 0755) = -1 EEXIST (File exists)',
            f'1 openat(AT_FDCWD, "{tmp_path}/elsewhere", O_WRONLY|O_CREAT, 0644) = 5',
        ]
    )
    (home / ".cache" / "left.db").write_bytes(b"x")
    found = created_under(home, log, box)
    assert len(found) == 3
    assert "deviceid" in found[0] and "Microsoft" in found[1]
    assert found[2].startswith("left behind:") and found[2].endswith("left.db")
    clean = make_sandbox(tmp_path / "clean")
    assert created_under(clean.home, "", clean) == []
