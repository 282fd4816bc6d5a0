# SPDX-License-Identifier: GPL-2.0
"""A minimal generic netlink client of nlctrl: CTRL_CMD_GETFAMILY and
CTRL_CMD_GETPOLICY on a NETLINK_GENERIC socket, their replies parsed, and
the same replies encoded (the selftest feeds them back to the parser)."""

import errno
import os
import socket
import struct


NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_MULTI = 0x2
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1
NLA_TYPE_MASK = 0x3fff
NLA_F_NESTED = 0x8000

# <linux/genetlink.h>
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_CMD_GETPOLICY = 10
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_HDRSIZE = 4
CTRL_ATTR_MAXATTR = 5
CTRL_ATTR_OPS = 6
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_POLICY = 8
CTRL_ATTR_OP_POLICY = 9
CTRL_ATTR_OP = 10
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_OP_FLAGS = 2
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
CTRL_ATTR_POLICY_DO = 1
CTRL_ATTR_POLICY_DUMP = 2
GENL_ADMIN_PERM = 0x01
GENL_CMD_CAP_DO = 0x02
GENL_CMD_CAP_DUMP = 0x04
GENL_CMD_CAP_HASPOL = 0x08
GENL_UNS_ADMIN_PERM = 0x10
OP_FLAG_NAMES = [(GENL_ADMIN_PERM, "admin-perm"), (GENL_CMD_CAP_DO, "do"),
                 (GENL_CMD_CAP_DUMP, "dump"),
                 (GENL_CMD_CAP_HASPOL, "haspol"),
                 (GENL_UNS_ADMIN_PERM, "uns-admin-perm")]

# <linux/netlink.h>: enum netlink_attribute_type
NL_ATTR_TYPES = ["invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16",
                 "s32", "s64", "binary", "string", "nul-string", "nested",
                 "nested-array", "bitfield32", "sint", "uint"]
# enum netlink_policy_type_attr: number -> (key, struct format)
NL_POLICY_TYPE_ATTRS = {
    1: ("type", "=I"), 2: ("min_s", "=q"), 3: ("max_s", "=q"),
    4: ("min_u", "=Q"), 5: ("max_u", "=Q"), 6: ("min_len", "=I"),
    7: ("max_len", "=I"), 8: ("policy_idx", "=I"),
    9: ("policy_maxtype", "=I"), 10: ("bitfield32_mask", "=I"),
    12: ("mask", "=Q"),
}
POLICY_KEYS = {v[0]: (k, v[1]) for k, v in NL_POLICY_TYPE_ATTRS.items()}

# Spec attribute type -> the NL_ATTR_TYPE_* names the kernel may dump.
SPEC_TO_NL = {
    "flag": ["flag"], "u8": ["u8"], "u16": ["u16"], "u32": ["u32"],
    "u64": ["u64"], "s8": ["s8"], "s16": ["s16"], "s32": ["s32"],
    "s64": ["s64"], "uint": ["uint"], "sint": ["sint"],
    "binary": ["binary"], "string": ["string", "nul-string"],
    "nest": ["nested"], "indexed-array": ["nested-array"],
}


def nla_align(n):
    return (n + 3) & ~3


def parse_attrs(buf):
    """[(type, payload)] of the attributes in buf."""
    out = []
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4 or off + alen > len(buf):
            raise ValueError("bad attribute length %d at %d" % (alen, off))
        out.append((atype & NLA_TYPE_MASK, buf[off + 4:off + alen]))
        off += nla_align(alen)
    return out


def attr(atype, payload):
    """One attribute, padded."""
    n = 4 + len(payload)
    return struct.pack("=HH", n, atype) + payload + b"\0" * (nla_align(n) - n)


def nest(atype, items):
    return attr(atype | NLA_F_NESTED, b"".join(items))


def u32(v):
    return struct.pack("=I", v)


def genl_msg(msgtype, cmd, payload, flags=0, seq=0):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    return struct.pack("=IHHII", 16 + len(body), msgtype, flags, seq, 0) + body


def split_msgs(data):
    """[(type, flags, payload after nlmsghdr)] of a receive buffer."""
    out = []
    off = 0
    while off + 16 <= len(data):
        mlen, mtype, mflags, _, _ = struct.unpack_from("=IHHII", data, off)
        if mlen < 16:
            break
        out.append((mtype, mflags, data[off + 16:off + mlen]))
        off += nla_align(mlen)
    return out


class NetlinkError(Exception):
    def __init__(self, err, msg):
        super().__init__("%s%s" % (os.strerror(err),
                                   ": " + msg if msg else ""))
        self.errno = err


def genl_request(cmd, payload, dump):
    """Send one nlctrl request; the payloads (after the genl header) of
    the replies."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        try:
            s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        except OSError:
            pass
        s.bind((0, 0))
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        s.send(genl_msg(GENL_ID_CTRL, cmd, payload, flags, seq=1))
        replies = []
        while True:
            data = s.recv(1 << 20)
            for mtype, mflags, body in split_msgs(data):
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", body)[0]
                    if err == 0:
                        return replies
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        inner = struct.unpack_from("=I", body, 4)[0]
                        for t, p in parse_attrs(body[4 + inner:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msg = p.rstrip(b"\0").decode()
                    raise NetlinkError(err, msg)
                if mtype == NLMSG_DONE:
                    return replies
                replies.append(body[4:])
                if not dump and not mflags & NLM_F_MULTI:
                    # A do gets an ack after its reply (NLM_F_ACK).
                    continue
    finally:
        s.close()


def get_family(name):
    """The CTRL_CMD_GETFAMILY reply of family NAME, parsed."""
    reply = genl_request(CTRL_CMD_GETFAMILY,
                         attr(CTRL_ATTR_FAMILY_NAME,
                              name.encode() + b"\0"), dump=False)
    return parse_family(reply[0])


def parse_family(payload):
    fam = {"ops": {}, "groups": {}}
    for t, p in parse_attrs(payload):
        if t == CTRL_ATTR_FAMILY_ID:
            fam["id"] = struct.unpack_from("=H", p)[0]
        elif t == CTRL_ATTR_FAMILY_NAME:
            fam["name"] = p.rstrip(b"\0").decode()
        elif t == CTRL_ATTR_VERSION:
            fam["version"] = struct.unpack_from("=I", p)[0]
        elif t == CTRL_ATTR_MAXATTR:
            fam["maxattr"] = struct.unpack_from("=I", p)[0]
        elif t == CTRL_ATTR_OPS:
            for _, op in parse_attrs(p):
                d = dict(parse_attrs(op))
                cmd = struct.unpack_from("=I", d[CTRL_ATTR_OP_ID])[0]
                flags = struct.unpack_from("=I", d.get(CTRL_ATTR_OP_FLAGS,
                                                       b"\0" * 4))[0]
                fam["ops"][cmd] = flags
        elif t == CTRL_ATTR_MCAST_GROUPS:
            for _, g in parse_attrs(p):
                d = dict(parse_attrs(g))
                gname = d[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
                fam["groups"][gname] = struct.unpack_from(
                    "=I", d[CTRL_ATTR_MCAST_GRP_ID])[0]
    return fam


def get_op_policy(fam_id, cmd):
    """The CTRL_CMD_GETPOLICY dump of one command (CTRL_ATTR_OP), parsed.

    One command at a time: in a whole-family dump the kernel files a
    dump-only command's policies under command 0 (the nest type is the
    cmd of its, absent, doit half), so they cannot be told apart."""
    try:
        replies = genl_request(CTRL_CMD_GETPOLICY,
                               attr(CTRL_ATTR_FAMILY_ID,
                                    struct.pack("=H", fam_id)) +
                               attr(CTRL_ATTR_OP, u32(cmd)), dump=True)
    except NetlinkError as e:
        if e.errno == errno.ENODATA:    # the command has no policy
            return {"policies": {}}
        raise
    return parse_policies(replies)


def parse_policies(payloads):
    """The policy dump of one command: {"do": idx, "dump": idx (each when
    the command has that policy), "policies": {idx: {attr: {key: value}}}}.
    """
    pol = {"policies": {}}
    for payload in payloads:
        for t, p in parse_attrs(payload):
            if t == CTRL_ATTR_OP_POLICY:
                for _, body in parse_attrs(p):
                    for k, v in parse_attrs(body):
                        key = {CTRL_ATTR_POLICY_DO: "do",
                               CTRL_ATTR_POLICY_DUMP: "dump"}.get(k)
                        if key:
                            pol[key] = struct.unpack_from("=I", v)[0]
            elif t == CTRL_ATTR_POLICY:
                for idx, body in parse_attrs(p):
                    policy = pol["policies"].setdefault(idx, {})
                    for anum, tbody in parse_attrs(body):
                        info = policy.setdefault(anum, {})
                        for k, v in parse_attrs(tbody):
                            if k in NL_POLICY_TYPE_ATTRS:
                                key, fmt = NL_POLICY_TYPE_ATTRS[k]
                                info[key] = struct.unpack_from(fmt, v)[0]
    return pol


def encode_family(fam):
    """CTRL_CMD_GETFAMILY reply payload of a parsed family (selftest)."""
    items = [attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", fam["id"])),
             attr(CTRL_ATTR_FAMILY_NAME, fam["name"].encode() + b"\0"),
             attr(CTRL_ATTR_VERSION, u32(fam["version"])),
             attr(CTRL_ATTR_HDRSIZE, u32(0)),
             attr(CTRL_ATTR_MAXATTR, u32(fam.get("maxattr", 0)))]
    ops = [nest(i, [attr(CTRL_ATTR_OP_ID, u32(cmd)),
                    attr(CTRL_ATTR_OP_FLAGS, u32(flags))])
           for i, (cmd, flags) in enumerate(sorted(fam["ops"].items()), 1)]
    if ops:
        items.append(nest(CTRL_ATTR_OPS, ops))
    groups = [nest(i, [attr(CTRL_ATTR_MCAST_GRP_ID, u32(gid)),
                       attr(CTRL_ATTR_MCAST_GRP_NAME,
                            name.encode() + b"\0")])
              for i, (name, gid) in enumerate(fam["groups"].items(), 1)]
    if groups:
        items.append(nest(CTRL_ATTR_MCAST_GROUPS, groups))
    return b"".join(items)


def encode_policies(fam_id, cmd, pol):
    """The CTRL_CMD_GETPOLICY dump of one command as the kernel sends it:
    one message for the command (nested under 0 when it has no do), one
    per policy attribute (selftest)."""
    head = attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", fam_id))
    out = []
    inner = []
    if "do" in pol:
        inner.append(attr(CTRL_ATTR_POLICY_DO, u32(pol["do"])))
    if "dump" in pol:
        inner.append(attr(CTRL_ATTR_POLICY_DUMP, u32(pol["dump"])))
    if inner:
        out.append(head + nest(CTRL_ATTR_OP_POLICY,
                               [nest(cmd if "do" in pol else 0, inner)]))
    for idx, policy in sorted(pol["policies"].items()):
        for anum, info in sorted(policy.items()):
            fields = []
            for key, v in info.items():
                num, fmt = POLICY_KEYS[key]
                fields.append(attr(num, struct.pack(fmt, v)))
            out.append(head + nest(CTRL_ATTR_POLICY,
                                   [nest(idx, [nest(anum, fields)])]))
    return out
