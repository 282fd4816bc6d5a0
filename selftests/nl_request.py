#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""nl_request.py CASE - send one hand-made request to the "optsim" generic
netlink family, over a raw socket with extended acks on, and print the
kernel's answer as "ERRNO<TAB>MESSAGE<TAB>MISSING" (0 and an empty message
when it accepted the request; MISSING is the type of a missing attribute
the kernel names, or -). The cases are requests no well-behaved client
sends: attributes of the wrong size, out of range, unknown to the
command, missing, or a layer the medium lacks. Used by netlink.sh.

nl_request.py tracks INDEX - dev-get drive INDEX, as a do and as a dump,
and print "do=N dump=M": the track nests each reply holds (the dump's of
drive INDEX), or the errno a request failed with.

nl_request.py load INDEX MEDIA - load a new blank medium of type MEDIA.
nl_request.py load-image INDEX PATH HOW - load the image PATH, open in this
process (HOW: w read-write, r read-only, dir a directory, closed a
descriptor number not open, media with a media attribute too); print as
the cases do."""

import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_MISS_TYPE = 5
NLA_F_NESTED = 0x8000

# enum optsim_cmd, optsim_a and optsim_a_layer (uapi/linux/optsim.h)
CMD_DEV_GET, CMD_DEV_NEW, CMD_DEV_DEL = 1, 2, 3
CMD_PARAMS_SET = 5
CMD_LOAD = 18
A_IMAGE_FD = 25
A_DEV_INDEX, A_MEDIA, A_LAYER_SECTORS, A_LAYER = 2, 4, 6, 12
A_LAYER_INDEX, A_LAYER_VELOCITY = 2, 4
A_TRACK = 21
NLM_F_DUMP = 0x300
NLMSG_DONE = 3


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def nest(atype, *attrs):
    return attr(atype | NLA_F_NESTED, b"".join(attrs))


def request(sock, family, cmd, payload, seq=1):
    genl = struct.pack("=BBH", cmd, 1, 0)
    body = genl + payload
    msg = struct.pack("=IHHII", 16 + len(body), family,
                      NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body
    sock.send(msg)
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, mtype, flags, _, _ = struct.unpack_from("=IHHII", data, off)
            if mtype == NLMSG_ERROR:
                (err,) = struct.unpack_from("=i", data, off + 16)
                return -err, extack(data[off:off + length], flags)
            off += (length + 3) & ~3


def extack(msg, flags):
    """The ack's message and the missing attribute's type it names."""
    text, missing = "", "-"
    if not flags & NLM_F_ACK_TLVS:
        return text, missing
    # nlmsghdr, error code, then the request's header (or all of it)
    inner_len = struct.unpack_from("=I", msg, 20)[0]
    off = 16 + 4 + (16 if flags & NLM_F_CAPPED else inner_len)
    while off + 4 <= len(msg):
        alen, atype = struct.unpack_from("=HH", msg, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            text = msg[off + 4:off + alen].rstrip(b"\0").decode()
        elif atype == NLMSGERR_ATTR_MISS_TYPE:
            missing = str(struct.unpack_from("=I", msg, off + 4)[0])
        off += (alen + 3) & ~3
    return text, missing


def family_id(sock):
    name = attr(CTRL_ATTR_FAMILY_NAME, b"optsim\0")
    genl = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
    body = genl + name
    sock.send(struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL,
                          NLM_F_REQUEST, 1, 0) + body)
    data = sock.recv(65536)
    off = 16 + 4
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if atype == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", data, off + 4)[0]
        off += (alen + 3) & ~3
    raise SystemExit("nl_request: family optsim not found")


CASES = {
    # dev-index of 2 bytes instead of 4
    "short-index": (CMD_DEV_GET, attr(A_DEV_INDEX, b"\0\0")),
    # above OPTSIM_MAX_DEVICES - 1
    "index-range": (CMD_DEV_GET, u32(A_DEV_INDEX, 64)),
    # dev-get without the drive
    "missing-index": (CMD_DEV_GET, b""),
    # an attribute dev-get does not take
    "unknown-attr": (CMD_DEV_GET, u32(A_DEV_INDEX, 0) + u32(A_MEDIA, 1)),
    # no such drive
    "no-drive": (CMD_DEV_GET, u32(A_DEV_INDEX, 63)),
    # media out of range
    "media-range": (CMD_DEV_NEW, u32(A_MEDIA, 9)),
    # layer sectors not a multiple of 32
    "bad-geometry": (CMD_DEV_NEW, attr(A_LAYER_SECTORS,
                                       struct.pack("=Q", 1025))),
    # velocity below 1000 mm/s
    "velocity-range": (CMD_PARAMS_SET, u32(A_DEV_INDEX, 0) +
                       nest(A_LAYER, u32(A_LAYER_INDEX, 0),
                            u32(A_LAYER_VELOCITY, 10))),
    # a layer nest without its index
    "layer-no-index": (CMD_PARAMS_SET, u32(A_DEV_INDEX, 0) +
                       nest(A_LAYER, u32(A_LAYER_VELOCITY, 4917))),
    # layer 1 of a single-layer medium
    "no-such-layer": (CMD_PARAMS_SET, u32(A_DEV_INDEX, 0) +
                      nest(A_LAYER, u32(A_LAYER_INDEX, 1),
                           u32(A_LAYER_VELOCITY, 4917))),
    # a valid change: velocity 2x on layer 0
    "set-ok": (CMD_PARAMS_SET, u32(A_DEV_INDEX, 0) +
               nest(A_LAYER, u32(A_LAYER_INDEX, 0),
                    u32(A_LAYER_VELOCITY, 9834))),
    # remove a drive that is not there
    "del-none": (CMD_DEV_DEL, u32(A_DEV_INDEX, 63)),
}


def attrs(data, off, end):
    """[(type, offset of payload, payload length)] from off to end."""
    out = []
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        out.append((atype & 0x3fff, off + 4, alen - 4))
        off += (alen + 3) & ~3
    return out


def dev_get_tracks(sock, family, index, dump, seq):
    """Track nests in the dev-get reply about drive index, or -errno."""
    genl = struct.pack("=BBH", CMD_DEV_GET, 1, 0)
    body = genl + u32(A_DEV_INDEX, index)
    flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
    sock.send(struct.pack("=IHHII", 16 + len(body), family, flags, seq, 0) +
              body)
    tracks = None
    while True:
        data = sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            length, mtype, _, _, _ = struct.unpack_from("=IHHII", data, off)
            if mtype == NLMSG_ERROR:
                (err,) = struct.unpack_from("=i", data, off + 16)
                return err if err else tracks
            if mtype == NLMSG_DONE:
                (err,) = struct.unpack_from("=i", data, off + 16)
                return err if err else tracks
            a = attrs(data, off + 20, off + length)
            idx = [struct.unpack_from("=I", data, o)[0]
                   for t, o, _ in a if t == A_DEV_INDEX]
            if idx == [index]:
                tracks = sum(1 for t, _, _ in a if t == A_TRACK)
            off += (length + 3) & ~3


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "tracks":
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                             NETLINK_GENERIC)
        sock.bind((0, 0))
        fam = family_id(sock)
        index = int(sys.argv[2])
        print("do=%s dump=%s" % (dev_get_tracks(sock, fam, index, False, 2),
                                 dev_get_tracks(sock, fam, index, True, 3)))
        return
    if len(sys.argv) in (4, 5) and sys.argv[1] in ("load", "load-image"):
        index = int(sys.argv[2])
        if sys.argv[1] == "load":
            payload = u32(A_DEV_INDEX, index) + u32(A_MEDIA, int(sys.argv[3]))
        else:
            how = sys.argv[4]
            if how == "dir":
                fd = os.open(sys.argv[3], os.O_RDONLY | os.O_DIRECTORY)
            elif how == "closed":
                # A number no descriptor of this process has (the socket
                # below would take a low one that was closed).
                fd = 999
                try:
                    os.fstat(fd)
                    sys.exit("nl_request: descriptor 999 is open")
                except OSError:
                    pass
            else:
                fd = os.open(sys.argv[3], os.O_RDONLY if how == "r"
                             else os.O_RDWR)
            payload = u32(A_DEV_INDEX, index) + attr(A_IMAGE_FD,
                                                     struct.pack("=i", fd))
            if how == "media":
                payload += u32(A_MEDIA, 1)
        CASES["load"] = (CMD_LOAD, payload)
        sys.argv[1:] = ["load"]
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: nl_request.py CASE\ncases: " + " ".join(CASES))
    cmd, payload = CASES[sys.argv[1]]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    fam = family_id(sock)
    err, (msg, missing) = request(sock, fam, cmd, payload, seq=2)
    name = errno.errorcode.get(err, str(err)) if err else "0"
    print("%s\t%s\t%s" % (name, msg, missing))


if __name__ == "__main__":
    main()
