"""Loaded into a callscribe run by the telemetry test: records every network attempt.

Each attempt to resolve a host name or open an internet socket is appended to the file
named by CALLSCRIBE_NET_LOG, and refused.
"""
import os
import socket

_log = os.environ["CALLSCRIBE_NET_LOG"]


def _record(what):
    with open(_log, "a") as f:
        f.write(f"{what}\n")


_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _record(f"connect {address}")
        raise OSError("network access refused by the callscribe telemetry test")
    return _connect(self, address)


def getaddrinfo(host, *args, **kwargs):
    _record(f"getaddrinfo {host}")
    raise socket.gaierror("name resolution refused by the callscribe telemetry test")


socket.socket.connect = connect
socket.socket.connect_ex = lambda self, address: connect(self, address) or 0
socket.getaddrinfo = getaddrinfo
