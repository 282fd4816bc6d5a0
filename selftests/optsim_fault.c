// SPDX-License-Identifier: GPL-2.0
/*
 * optsim_fault - allocation failures injected into every request of the
 * driver (the debug kernel's failslab and fail_page_alloc; make
 * check-debug). Without CONFIG_FAULT_INJECTION (the stock kernel) the
 * test skips.
 *
 * Each operation (module load, drive create and remove, medium load,
 * write, OPC, finalize, erase, parameter change, eject, netlink replies,
 * image load and save, SCSI commands through SG_IO) runs once to count
 * the allocations it makes in the calling task (fail-nth set high), then
 * again with its Nth allocation failed (/proc/thread-self/fail-nth, the
 * systematic fault injection of Documentation/fault-injection/) for up to
 * OPTSIM_FAULT_POINTS values of N (default 100; module load 10, OPC 5)
 * spread over them.
 * Both failslab and fail_page_alloc are set to fail any allocation, sleeping
 * or not, of any order (ignore-gfp-wait=N, min-order=0), quietly
 * (verbose=0); the knobs are put back at the end.
 *
 * OPTSIM_FAULT_ONLY=TEXT runs only the requests whose name holds TEXT
 * ("drive create"), with OPTSIM_FAULT_POINTS points each whatever their
 * own share: OPTSIM_FAULT_POINTS=100000 fails every allocation in turn.
 * With it, OPTSIM_FAULT_NTH=N (or N-M) fails only allocation N (N to M in
 * turn), as a report names it ("allocation N of K failed"), and the
 * injectors log each failure's stack.
 *
 * Then the requests that make the driver allocate in worker threads (drive
 * create and remove, medium load and eject, a write with a netlink
 * listener, image load, SCSI commands) run again with failslab, then
 * fail_page_alloc, aimed at the kworkers instead (task-filter and
 * make-it-fail, "space" stepped over the bytes they allocate; see "worker
 * threads" below), OPTSIM_FAULT_POINTS / 4 points each.
 *
 * A request whose allocation failed must fail cleanly: an errno the
 * request can give for a lack of memory (ENOMEM; EIO for block I/O; for a
 * SCSI command also a CHECK CONDITION), and the drive as it was: the
 * medium, its parameters and recorded clusters unchanged, no drive created
 * or lost, an image file unchanged. A request may also absorb the failure
 * (a fallback) and succeed. The kernel log must stay clean (run-vm.sh)
 * and kmemleak find nothing after rmmod (debug-check.sh).
 */
#include "optsim_utils.h"
#include "optsim_nl.h"

#include <time.h>
#include <linux/cdrom.h>
#include <scsi/sg.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DEBUGFS		"/sys/kernel/debug"
#define F_LAYER		1024ULL
#define F_POINTS	100U
#define F_OPC_POINTS	5U
#define F_MODLOAD_POINTS	10U
#define F_BIG		1000000U
#define F_MAX_REPORTS	30
#define IMG_BYTES_MAX	(8u << 20)

struct fctx {
	int nth;			/* /proc/thread-self/fail-nth */
	/*
	 * Opened before the failure is armed, so that the points fall in the
	 * request rather than in open(): /dev/optsim, the sg node (SCSI
	 * requests), a file a request takes (pre() opens it).
	 */
	int fd, sgfd, aux;
	void *buf;			/* a cluster for writes */
	int nl;
	uint16_t family;
	char sg[64];
	char dir[64];
	char img[96];
	char save[96];
	const char *ko;
	const char *modparams;
	const char *only;		/* OPTSIM_FAULT_ONLY, or NULL */
	unsigned int only_nth, only_last; /* OPTSIM_FAULT_NTH, or 0 */
	unsigned int points;
	int err;			/* the errno of the request checked */
	char detail[96];		/* what a request says of its failure */
	/* the state before the request */
	struct optsim_info info;
	struct optsim_params params[OPTSIM_MAX_LAYERS];
	unsigned char *snap, *now;
	size_t snap_len;
	int kmsg;			/* /dev/kmsg, read (worker pass) */
	pid_t monitor;			/* optsimctl monitor (worker pass) */
	/* figures */
	unsigned long injected, absorbed, refused, unclean, allocs;
	/* of the worker pass: bytes, failures (in optsim's code) */
	unsigned long wbytes, winjected, wours, wrefused, wabsorbed;
	char why[256];
};

/* ---- small helpers ------------------------------------------------------ */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return ret;
}

static int set_nth(struct fctx *c, unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	return pwrite(c->nth, b, len, 0) == len ? 0 : -1;
}

static unsigned int get_nth(struct fctx *c)
{
	char b[16] = "";

	if (pread(c->nth, b, sizeof(b) - 1, 0) <= 0)
		return ~0U;
	return (unsigned int)strtoul(b, NULL, 10);
}

static int dev_open(void)
{
	return open(DEV_PATH, O_RDWR | O_DIRECT | O_CLOEXEC);
}

/* The medium and its parameters now, in *info and params[]. */
static int state(struct optsim_info *info, struct optsim_params *params)
{
	int fd = dev_open(), ret;
	__u32 l;

	if (fd < 0)
		return -1;
	memset(params, 0, OPTSIM_MAX_LAYERS * sizeof(*params));
	ret = do_get_info(fd, info);
	for (l = 0; !ret && l < info->layers; l++)
		ret = do_get_params(fd, l, &params[l]);
	close(fd);
	return ret;
}

static void snapshot(struct fctx *c)
{
	if (state(&c->info, c->params))
		memset(&c->info, 0, sizeof(c->info));
}

/* NULL when the drive is as snapshot() saw it, or what differs. */
static const char *unchanged(struct fctx *c)
{
	struct optsim_params p[OPTSIM_MAX_LAYERS];
	struct optsim_info i;
	__u32 l;

	if (state(&i, p))
		return "GET_INFO/GET_PARAMS fail afterwards";
	if (i.media != c->info.media || i.flags != c->info.flags ||
	    i.layers != c->info.layers || i.capacity != c->info.capacity ||
	    i.nwa != c->info.nwa || i.full_erases != c->info.full_erases ||
	    i.recorded_clusters[0] != c->info.recorded_clusters[0] ||
	    i.recorded_clusters[1] != c->info.recorded_clusters[1])
		return "the medium changed";
	for (l = 0; l < i.layers; l++)
		if (memcmp(&p[l], &c->params[l], sizeof(p[l])))
			return "the write parameters changed";
	return NULL;
}

/* A fresh medium with its parameters set by hand (no implicit OPC). */
static int load(__u32 media)
{
	int fd = dev_open(), ret;

	if (fd < 0)
		return -1;
	ioctl(fd, CDROM_LOCKDOOR, 0);
	ioctl(fd, CDROMCLOSETRAY, 0);
	ret = load_hand_set(fd, media, F_LAYER);
	close(fd);
	return ret;
}

static void eject(void)
{
	int fd = dev_open();

	if (fd >= 0) {
		do_eject(fd);
		close(fd);
	}
}

/* A request on a fresh /dev/optsim descriptor: its errno or 0. */
#define DEV_REQ(expr) ({					\
	int _fd = dev_open(), _r;				\
	if (_fd < 0)						\
		return errno;					\
	_r = (expr) < 0 ? errno : 0;				\
	close(_fd);						\
	_r; })

static bool drive_exists(int idx)
{
	char path[32];

	snprintf(path, sizeof(path), DEV_PATH "%d", idx);
	return !access(path, F_OK);
}

static int nl_dev(struct fctx *c, uint8_t cmd, uint16_t flags, int idx,
		  bool layer)
{
	char msg[NL_MSG_MAX] = { 0 };
	unsigned int len = NLMSG_HDRLEN + GENL_HDRLEN;
	uint32_t i = (uint32_t)idx;
	uint64_t ls = F_LAYER;

	if (idx >= 0)
		nl_put_attr(msg, &len, OPTSIM_A_DEV_INDEX, &i, 4);
	if (layer)
		nl_put_attr(msg, &len, OPTSIM_A_LAYER_SECTORS, &ls, 8);
	return nl_call(c->nl, c->family, cmd, flags, msg, len);
}

static int read_file(const char *path, unsigned char *buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, IMG_BYTES_MAX);
	close(fd);
	if (n < 0)
		return -1;
	*len = (size_t)n;
	return 0;
}

/* ---- SG_IO ------------------------------------------------------------- */

struct sg_res {
	int err;
	uint8_t status, sense[32];
	uint16_t host;
};

static void sg_cmd(int fd, const uint8_t *cdb, uint8_t cdb_len,
		   int dir, void *buf, unsigned int len, struct sg_res *r)
{
	struct sg_io_hdr h = { .interface_id = 'S' };

	memset(r, 0, sizeof(*r));
	h.cmdp = (unsigned char *)cdb;
	h.cmd_len = cdb_len;
	h.dxfer_direction = dir;
	h.dxfer_len = len;
	h.dxferp = buf;
	h.sbp = r->sense;
	h.mx_sb_len = sizeof(r->sense);
	h.timeout = 30000;
	r->err = ioctl(fd, SG_IO, &h) ? errno : 0;
	r->status = h.status;
	r->host = h.host_status;
}

/* ---- the operations ----------------------------------------------------- */

struct fop {
	const char *name;
	/* the state the request starts from; 0 or -1 */
	int (*pre)(struct fctx *c);
	/* the request: 0 or a positive errno */
	int (*op)(struct fctx *c);
	/* after a refused request: NULL when all is as it was */
	const char *(*check)(struct fctx *c);
	void (*post)(struct fctx *c);
	unsigned int points;
	/* errnos besides ENOMEM a refusal may give */
	int also[3];
	/* also run with allocations failed in worker threads */
	bool worker;
};

/* module load */
static int pre_unloaded(struct fctx *c)
{
	if (c->nl >= 0)
		close(c->nl);
	c->nl = -1;
	for (int i = 0; i < 50 && !access("/sys/module/optsim", F_OK); i++) {
		if (!syscall(__NR_delete_module, "optsim", O_NONBLOCK))
			break;
		usleep(100000);
	}
	if (!access("/sys/module/optsim", F_OK))
		return -1;
	c->aux = open(c->ko, O_RDONLY | O_CLOEXEC);
	return c->aux < 0 ? -1 : 0;
}

static int op_modload(struct fctx *c)
{
	return syscall(__NR_finit_module, c->aux, c->modparams, 0) ? errno : 0;
}

static const char *check_unloaded(struct fctx *c)
{
	(void)c;
	return access("/sys/module/optsim", F_OK) ? NULL :
		"the module is loaded after a failed load";
}

static void post_loaded(struct fctx *c)
{
	int i;

	if (access("/sys/module/optsim", F_OK)) {
		int fd = open(c->ko, O_RDONLY | O_CLOEXEC);

		syscall(__NR_finit_module, fd, c->modparams, 0);
		close(fd);
	}
	for (i = 0; i < 50 && access(DEV_PATH, F_OK); i++)
		usleep(100000);
	c->nl = nl_open();
	c->family = (uint16_t)nl_family_id();
}

/* drive create and remove */
static int pre_no_drive1(struct fctx *c)
{
	if (drive_exists(1))
		nl_dev(c, OPTSIM_CMD_DEV_DEL, 0, 1, false);
	snapshot(c);
	return drive_exists(1) ? -1 : 0;
}

static int op_dev_new(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_DEV_NEW, 0, 1, true);
}

/*
 * ENOBUFS on the socket: the netlink core lost the answer (the ack or the
 * reply) for want of memory; the request itself may have been carried
 * out, and then it must have been whole.
 */
static const char *check_no_drive1(struct fctx *c)
{
	if (c->err == ENOBUFS && drive_exists(1))
		return nl_dev(c, OPTSIM_CMD_DEV_GET, 0, 1, false) ?
			"drive 1 created, its answer lost, but DEV_GET fails" :
			NULL;
	if (drive_exists(1))
		return "/dev/optsim1 exists after a failed create";
	if (nl_dev(c, OPTSIM_CMD_DEV_GET, 0, 1, false) != ENODEV)
		return "DEV_GET of drive 1 does not give ENODEV";
	return unchanged(c);
}

static void post_del1(struct fctx *c)
{
	pre_no_drive1(c);
}

static int pre_drive1(struct fctx *c)
{
	if (!drive_exists(1))
		nl_dev(c, OPTSIM_CMD_DEV_NEW, 0, 1, true);
	return drive_exists(1) ? 0 : -1;
}

static int op_dev_del(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_DEV_DEL, 0, 1, false);
}

static const char *check_drive1(struct fctx *c)
{
	if (c->err == ENOBUFS && !drive_exists(1))
		return nl_dev(c, OPTSIM_CMD_DEV_GET, 0, 1, false) != ENODEV ?
			"drive 1 removed, its answer lost, but DEV_GET finds it" :
			NULL;
	if (!drive_exists(1))
		return "/dev/optsim1 is gone after a failed remove";
	if (nl_dev(c, OPTSIM_CMD_DEV_GET, 0, 1, false))
		return "DEV_GET of drive 1 fails after a failed remove";
	return NULL;
}

/* medium load */
static int pre_empty(struct fctx *c)
{
	eject();
	snapshot(c);
	return c->info.media == OPTSIM_MEDIA_NONE ? 0 : -1;
}

static int op_load(struct fctx *c)
{
	return do_load(c->fd, OPTSIM_MEDIA_BD_R_DL, F_LAYER) ? errno : 0;
}

static const char *check_same(struct fctx *c)
{
	return unchanged(c);
}

static void post_eject(struct fctx *c)
{
	(void)c;
	eject();
}

/* requests on a loaded medium */
static int pre_bd_re(struct fctx *c)
{
	int r = load(OPTSIM_MEDIA_BD_RE);

	snapshot(c);
	return r;
}

static int pre_bd_r(struct fctx *c)
{
	int r = load(OPTSIM_MEDIA_BD_R);

	snapshot(c);
	return r;
}

static int op_write(struct fctx *c)
{
	return pwrite(c->fd, c->buf, CLUSTER_BYTES, 64 * SECTOR) < 0 ? errno : 0;
}

static int op_opc(struct fctx *c)
{
	struct optsim_opc o;

	return do_opc(c->fd, 0, &o) ? errno : 0;
}

static int op_finalize(struct fctx *c)
{
	return do_finalize(c->fd) ? errno : 0;
}

static int op_erase(struct fctx *c)
{
	return do_erase(c->fd, 0) ? errno : 0;
}

static int op_set_params(struct fctx *c)
{
	struct optsim_params p = c->params[0];

	p.layer = OPTSIM_LAYER_ALL;
	p.velocity = p.velocity == OPTSIM_VELOCITY_MIN_MMS ?
		OPTSIM_VELOCITY_MIN_MMS + 1000 : OPTSIM_VELOCITY_MIN_MMS;
	p.strategy = OPTSIM_STRATEGY_MULTI;
	return do_set_params(c->fd, &p) ? errno : 0;
}

static int op_eject(struct fctx *c)
{
	return do_eject(c->fd) ? errno : 0;
}

/* netlink replies */
static int op_nl_get(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_DEV_GET, 0, 0, false);
}

static int op_nl_dump(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_DEV_GET, NLM_F_DUMP, -1, false);
}

static int op_nl_stats(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_STATS_GET, NLM_F_DUMP, -1, false);
}

static int op_nl_params(struct fctx *c)
{
	return nl_dev(c, OPTSIM_CMD_PARAMS_GET, 0, 0, false);
}

/* image load and save */
static int pre_image(struct fctx *c)
{
	int fd;

	if (access(c->img, F_OK)) {
		if (load(OPTSIM_MEDIA_BD_R) ||
		    DEV_REQ(write_sectors(_fd, 0, CLUSTER, 3)))
			return -1;
		fd = open(c->img, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		{
			struct optsim_save s = { .image_fd = fd };
			int r = DEV_REQ(ioctl(_fd, OPTSIM_IOC_SAVE, &s));

			close(fd);
			if (r)
				return -1;
		}
	}
	eject();
	snapshot(c);
	if (read_file(c->img, c->snap, &c->snap_len))
		return -1;
	c->aux = open(c->img, O_RDWR | O_CLOEXEC);
	return c->aux < 0 ? -1 : 0;
}

static int op_image_load(struct fctx *c)
{
	struct optsim_load l = { .flags = OPTSIM_LOAD_F_IMAGE,
				 .image_fd = c->aux };

	return ioctl(c->fd, OPTSIM_IOC_LOAD, &l) ? errno : 0;
}

static const char *check_image(struct fctx *c)
{
	size_t len;

	if (read_file(c->img, c->now, &len))
		return "the image cannot be read";
	if (len != c->snap_len || memcmp(c->now, c->snap, len))
		return "the image file changed";
	return unchanged(c);
}

static int pre_save(struct fctx *c)
{
	if (load(OPTSIM_MEDIA_BD_R) ||
	    DEV_REQ(write_sectors(_fd, 0, CLUSTER, 4)))
		return -1;
	c->aux = open(c->save, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	snapshot(c);
	return c->aux < 0 ? -1 : 0;
}

static int op_save(struct fctx *c)
{
	struct optsim_save s = { .image_fd = c->aux };

	return ioctl(c->fd, OPTSIM_IOC_SAVE, &s) ? errno : 0;
}

/* SCSI commands: a result is clean when SG_IO fails with ENOMEM or EIO,
 * or the command ends with GOOD or CHECK CONDITION and no host error. */
static int scsi_result(const struct sg_res *r)
{
	if (r->err)
		return r->err;
	if (r->host)
		return ECOMM;		/* not clean: reported */
	if (r->status == 0)
		return 0;
	return r->status == 0x02 ? EIO : ECOMM;
}

/*
 * A BD-R for the SCSI requests, its unit attention (medium changed)
 * taken by TEST UNIT READY first: the request must not meet it.
 */
static int pre_bd_r_scsi(struct fctx *c)
{
	static const uint8_t tur[6];
	struct sg_res r = { .err = -1 };
	int fd, i;

	if (pre_bd_r(c))
		return -1;
	fd = open(c->sg, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (i = 0; i < 5; i++) {
		sg_cmd(fd, tur, 6, SG_DXFER_NONE, NULL, 0, &r);
		if (!scsi_result(&r))
			break;
	}
	close(fd);
	return scsi_result(&r) ? -1 : 0;
}

static int op_scsi_info(struct fctx *c)
{
	static const uint8_t cdbs[][10] = {
		{ 0x12, 0, 0, 0, 96, 0 },			/* INQUIRY */
		{ 0x25 },					/* READ CAPACITY */
		{ 0x46, 0x02, 0, 0, 0, 0, 0, 0x10, 0, 0 },	/* GET CONFIGURATION */
		{ 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 },		/* READ DISC INFO */
		{ 0x52, 1, 0, 0, 0, 1, 0, 0, 48, 0 },		/* READ TRACK INFO */
		{ 0x5a, 0, 0x3f, 0, 0, 0, 0, 0x10, 0, 0 },	/* MODE SENSE(10) */
		{ 0x43, 0, 0, 0, 0, 0, 0, 0x10, 0, 0 },		/* READ TOC */
	};
	static uint8_t buf[4096];
	struct sg_res r;
	unsigned int i;
	int e;

	for (i = 0; i < sizeof(cdbs) / sizeof(cdbs[0]); i++) {
		sg_cmd(c->sgfd, cdbs[i], cdbs[i][0] < 0x20 ? 6 : 10,
		       SG_DXFER_FROM_DEV, buf,
		       cdbs[i][0] == 0x12 ? 96 : cdbs[i][0] == 0x25 ? 8 : 4096, &r);
		e = scsi_result(&r);
		/* READ TOC of the blank BD-R: 05/24/00 (mmc.rst) */
		if (e == EIO && cdbs[i][0] == 0x43 &&
		    (r.sense[2] & 0xf) == 5 && r.sense[12] == 0x24)
			continue;
		if (e) {
			snprintf(c->detail, sizeof(c->detail),
				 " (CDB 0x%02x: status 0x%02x, sense %x/%02x/%02x)",
				 cdbs[i][0], r.status, r.sense[2] & 0xf,
				 r.sense[12], r.sense[13]);
			return e;
		}
	}
	return 0;
}

static int op_scsi_write(struct fctx *c)
{
	static const uint8_t wr[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, CLUSTER, 0 };
	static const uint8_t sync[10] = { 0x35 };
	static uint8_t buf[CLUSTER_BYTES];
	struct sg_res r;
	int e;

	memset(buf, 0x5a, sizeof(buf));
	sg_cmd(c->sgfd, wr, 10, SG_DXFER_TO_DEV, buf, CLUSTER_BYTES, &r);
	e = scsi_result(&r);
	if (e)
		return e;
	sg_cmd(c->sgfd, sync, 10, SG_DXFER_NONE, NULL, 0, &r);
	return scsi_result(&r);
}

static const struct fop fops[] = {
	/* a module load takes some 10 s on the debug kernel */
	{ "module load", pre_unloaded, op_modload, check_unloaded, post_loaded,
	  F_MODLOAD_POINTS, { ENODEV }, false },
	/* __scsi_add_device() says ENODEV whatever failed in the LUN's probe */
	{ "drive create (netlink)", pre_no_drive1, op_dev_new, check_no_drive1,
	  post_del1, F_POINTS, { ENOBUFS, EMSGSIZE, ENODEV }, true },
	{ "drive remove (netlink)", pre_drive1, op_dev_del, check_drive1,
	  post_del1, F_POINTS, { ENOBUFS, EMSGSIZE }, true },
	{ "medium load", pre_empty, op_load, check_same, post_eject,
	  F_POINTS, { 0 }, true },
	{ "write", pre_bd_re, op_write, check_same, post_eject,
	  F_POINTS, { EIO, EAGAIN }, true },
	{ "OPC", pre_bd_r, op_opc, check_same, post_eject,
	  F_OPC_POINTS, { 0 }, false },
	{ "finalize", pre_bd_r, op_finalize, check_same, post_eject,
	  F_POINTS, { 0 }, false },
	{ "full erase", pre_bd_re, op_erase, check_same, post_eject,
	  F_POINTS, { 0 }, false },
	{ "set parameters", pre_bd_re, op_set_params, check_same, post_eject,
	  F_POINTS, { 0 }, false },
	{ "eject", pre_bd_re, op_eject, check_same, post_eject,
	  F_POINTS, { 0 }, true },
	{ "netlink DEV_GET", pre_bd_r, op_nl_get, check_same, post_eject,
	  F_POINTS, { ENOBUFS, EMSGSIZE }, false },
	{ "netlink DEV_GET dump", pre_bd_r, op_nl_dump, check_same, post_eject,
	  F_POINTS, { ENOBUFS, EMSGSIZE }, false },
	{ "netlink STATS_GET dump", pre_bd_r, op_nl_stats, check_same,
	  post_eject, F_POINTS, { ENOBUFS, EMSGSIZE }, false },
	{ "netlink PARAMS_GET", pre_bd_r, op_nl_params, check_same, post_eject,
	  F_POINTS, { ENOBUFS, EMSGSIZE }, false },
	{ "image load", pre_image, op_image_load, check_image, post_eject,
	  F_POINTS, { EIO }, true },
	{ "image save", pre_save, op_save, check_same, post_eject,
	  F_POINTS, { EIO }, false },
	{ "SCSI information commands", pre_bd_r_scsi, op_scsi_info, check_same,
	  post_eject, F_POINTS, { EIO }, true },
	{ "SCSI WRITE(10)", pre_bd_r_scsi, op_scsi_write, check_same,
	  post_eject, F_POINTS, { EIO }, true },
};

static bool err_ok(const struct fop *f, int e)
{
	unsigned int i;

	if (e == ENOMEM)
		return true;
	for (i = 0; i < 3; i++)
		if (f->also[i] && f->also[i] == e)
			return true;
	return false;
}

/* After a request refused with errno r: NULL when cleanly, or what is wrong. */
static const char *refusal(struct fctx *c, const struct fop *f, int r)
{
	if (!err_ok(f, r)) {
		snprintf(c->why, sizeof(c->why), "errno %s", strerror(r));
		return c->why;
	}
	c->err = r;
	return f->check(c);
}

/* The descriptors the request uses, opened before the failure is armed. */
static void arm(struct fctx *c, const struct fop *f)
{
	c->detail[0] = 0;
	c->fd = f->op == op_modload ? -1 : dev_open();
	c->sgfd = f->op == op_scsi_info || f->op == op_scsi_write ?
		open(c->sg, O_RDWR | O_CLOEXEC) : -1;
}

static void disarm(struct fctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->sgfd >= 0)
		close(c->sgfd);
	if (c->aux >= 0)
		close(c->aux);
	c->fd = c->sgfd = c->aux = -1;
}

/*
 * The request with its nth allocation failed: its errno, and in *rem what
 * was left of n (0: the failure was injected).
 */
static int attempt(struct fctx *c, const struct fop *f, unsigned int n,
		   unsigned int *rem)
{
	int r;

	arm(c, f);
	set_nth(c, n);
	r = f->op(c);
	*rem = get_nth(c);
	set_nth(c, 0);
	disarm(c);
	return r;
}

/*
 * A line in the kernel log. The kernel reports a failed vmalloc or page
 * allocation with a stack trace; scan-klog.sh accepts those between
 * "optsim_fault: injecting into" and "optsim_fault: done injecting".
 */
static void kmsg(const char *what, const char *name)
{
	char line[128];

	snprintf(line, sizeof(line), "optsim_fault: %s%s\n", what, name);
	write_str("/dev/kmsg", line);
}

typedef bool (*points_fn)(struct __test_metadata *_metadata, struct fctx *c,
			  const struct fop *f);

/* One operation at each of its failure points; false on a setup failure. */
static bool run_op(struct __test_metadata *_metadata, struct fctx *c,
		   const struct fop *f, points_fn fn)
{
	bool ok;

	if (c->only && !strstr(f->name, c->only))
		return true;
	kmsg("injecting into ", f->name);
	ok = fn(_metadata, c, f);
	kmsg("done injecting", "");
	return ok;
}

static bool run_op_points(struct __test_metadata *_metadata, struct fctx *c,
			  const struct fop *f)
{
	unsigned int k, points, j, n, rem;
	unsigned long inj0 = c->injected, abs0 = c->absorbed, ref0 = c->refused;
	unsigned long bad0 = c->unclean;
	time_t t0 = time(NULL);
	const char *why;
	int r;

	/* How many allocations the request makes in this task. */
	if (f->pre(c)) {
		TH_LOG("%s: setting up failed", f->name);
		return false;
	}
	r = attempt(c, f, F_BIG, &rem);
	f->post(c);
	if (r) {
		TH_LOG("%s: fails without injection: %s%s", f->name,
		       strerror(r), c->detail);
		return false;
	}
	k = F_BIG - rem;
	c->allocs += k;
	points = f->points < c->points ? f->points : c->points;
	/* The slow ones (OPC, module load) get a share of a small count. */
	if (f->points < F_POINTS && c->points < F_POINTS)
		points = f->points * c->points / F_POINTS ?: 1;
	if (c->only)
		points = c->points;
	if (points > k)
		points = k;
	if (c->only_nth)
		points = c->only_last - c->only_nth + 1;

	for (j = 0; j < points; j++) {
		n = 1 + (unsigned int)((unsigned long)j * k / points);
		if (c->only_nth)
			n = c->only_nth + j;
		if (f->pre(c)) {
			TH_LOG("%s: setting up failed at point %u", f->name, n);
			return false;
		}
		r = attempt(c, f, n, &rem);
		if (rem) {
			/* fewer allocations this time: nothing failed */
			if (r) {
				c->unclean++;
				if (c->unclean <= F_MAX_REPORTS)
					TH_LOG("%s: failed without an injected failure at point %u: %s",
					       f->name, n, strerror(r));
			}
			f->post(c);
			continue;
		}
		c->injected++;
		if (!r) {
			c->absorbed++;
			f->post(c);
			continue;
		}
		c->refused++;
		why = refusal(c, f, r);
		if (why) {
			c->unclean++;
			if (c->unclean <= F_MAX_REPORTS)
				TH_LOG("%s: allocation %u of %u failed: %s (errno %s)",
				       f->name, n, k, why, strerror(r));
		}
		f->post(c);
	}
	TH_LOG("%s: %u allocations, %u points: %lu injected, %lu refused, %lu absorbed, %lu unclean; %ld s",
	       f->name, k, points, c->injected - inj0, c->refused - ref0,
	       c->absorbed - abs0, c->unclean - bad0, (long)(time(NULL) - t0));
	return true;
}

/* ---- allocations in worker threads -------------------------------------- */

/*
 * fail-nth reaches the calling task only, but a request also allocates in
 * kworkers: every SCSI command of the MMC front runs in optsim_scsi_work()
 * (workqueue optsim_mmc), a write's recorded-clusters notification in
 * optsim_events_work() (when someone listens), and the block layer and
 * the SCSI midlayer queue work of their own. There failslab is aimed with
 * task-filter=Y and make-it-fail set on every kworker and on optsim_mmc's
 * rescuer (the caller is left alone: the pass above covers it), times=1:
 * the first allocation in those threads after "space" bytes of them
 * fails. A request runs once with space at its maximum to measure the
 * bytes its workers allocate (what is left of space), then with space at
 * points spread over them. Without the stack-trace filter (not on x86_64
 * in 6.1) other work that runs in a kworker meanwhile takes its share;
 * verbose=2 logs each injected failure with its stack, and the test reads
 * it from /dev/kmsg to count failures in optsim's code ("[optsim]" in the
 * trace) apart from the others.
 */
#define FS_KNOB(k)	DEBUGFS "/failslab/" k
#define FP_KNOB(k)	DEBUGFS "/fail_page_alloc/" k
#define F_SPACE_MAX	0x7fffffff
#define F_WORK_SETTLE_US	300000	/* > OPTSIM_RECORDED_NTF_DELAY */

/* The two injectors the worker pass aims, one after the other. */
static const char *const injectors[] = { "failslab", "fail_page_alloc" };

/* Knob k of injector inj: write s, or read it (s NULL) as a number. */
static long knob(const char *inj, const char *k, const char *s)
{
	char path[96], b[24] = "";

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", inj, k);
	if (s)
		return write_str(path, s);
	if (read_str_file(path, b, sizeof(b)))
		return -1;
	return strtol(b, NULL, 10);
}

/* make-it-fail of every kworker and of optsim_mmc's rescuer: how many. */
static unsigned int flag_workers(bool on)
{
	char path[64], comm[32];
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int pid = atoi(e->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (read_str_file(path, comm, sizeof(comm)))
			continue;
		if (strncmp(comm, "kworker/", 8) && strcmp(comm, "optsim_mmc"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/make-it-fail", pid);
		if (!write_str(path, on ? "1" : "0"))
			n++;
	}
	closedir(d);
	return n;
}

/*
 * The kernel log since the attempt began: 1 when an injected failure's
 * trace runs through optsim's code, 0 when it does not, -1 when no
 * failure was logged (rate limit).
 */
static int kmsg_where(int kfd)
{
	char rec[1024];
	bool seen = false, ours = false;
	ssize_t n;

	for (;;) {
		n = read(kfd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		if (strstr(rec, "FAULT_INJECTION: forcing a failure"))
			seen = true;
		else if (seen && strstr(rec, "[optsim]"))
			ours = true;
	}
	return seen ? ours : -1;
}

/*
 * The request with failslab armed in the workers, space bytes in: its
 * errno; *used the bytes the workers allocated (up to the failure),
 * *where what kmsg_where() said, or -2 when nothing was injected.
 */
static int attempt_worker(struct fctx *c, const struct fop *f,
			  const char *inj, long space, long *used, int *where)
{
	char b[24];
	int r;

	arm(c, f);
	lseek(c->kmsg, 0, SEEK_END);
	flag_workers(true);
	snprintf(b, sizeof(b), "%ld", space);
	knob(inj, "space", b);
	knob(inj, "times", "1");
	knob(inj, "probability", "100");
	r = f->op(c);
	usleep(F_WORK_SETTLE_US);
	/* probability 0 stops it before anything else is checked */
	knob(inj, "probability", "0");
	*used = space - knob(inj, "space", NULL);
	*where = knob(inj, "times", NULL) ? -2 : kmsg_where(c->kmsg);
	flag_workers(false);
	disarm(c);
	return r;
}

static bool run_injector_points(struct __test_metadata *_metadata,
				struct fctx *c, const struct fop *f,
				const char *inj)
{
	unsigned long n = 0, ours = 0, refused = 0, absorbed = 0, bad = 0;
	unsigned int j, points = c->points / 4 ?: 1;
	time_t t0 = time(NULL);
	const char *why;
	long total, used, space;
	int r, where;

	if (f->pre(c)) {
		TH_LOG("%s (%s in workers): setting up failed", f->name, inj);
		return false;
	}
	r = attempt_worker(c, f, inj, F_SPACE_MAX, &total, &where);
	f->post(c);
	if (r || where != -2) {
		TH_LOG("%s (%s in workers): fails without injection: %s%s",
		       f->name, inj, r ? strerror(r) : "a failure was injected",
		       c->detail);
		return false;
	}
	for (j = 0; j < points && total > 0; j++) {
		space = (long)((unsigned long)j * (unsigned long)total / points);
		if (f->pre(c)) {
			TH_LOG("%s (%s in workers): setting up failed at %ld",
			       f->name, inj, space);
			return false;
		}
		r = attempt_worker(c, f, inj, space, &used, &where);
		if (where == -2) {
			if (r) {
				bad++;
				TH_LOG("%s (%s in workers): failed without an injected failure at %ld: %s",
				       f->name, inj, space, strerror(r));
			}
			f->post(c);
			continue;
		}
		n++;
		ours += where == 1;
		if (!r) {
			absorbed++;
			f->post(c);
			continue;
		}
		refused++;
		why = refusal(c, f, r);
		if (why) {
			bad++;
			if (bad <= F_MAX_REPORTS)
				TH_LOG("%s (%s in workers): allocation at %ld failed%s: %s (errno %s)",
				       f->name, inj, space,
				       where == 1 ? " in optsim" : "", why,
				       strerror(r));
		}
		f->post(c);
	}
	/* failslab counts bytes, fail_page_alloc pages */
	TH_LOG("%s (%s in workers): %ld %s, %u points: %lu injected (%lu in optsim's code), %lu refused, %lu absorbed, %lu unclean; %ld s",
	       f->name, inj, total, strcmp(inj, "failslab") ? "pages" : "bytes",
	       total > 0 ? points : 0, n, ours, refused,
	       absorbed, bad, (long)(time(NULL) - t0));
	c->wbytes += total;
	c->winjected += n;
	c->wours += ours;
	c->wrefused += refused;
	c->wabsorbed += absorbed;
	c->unclean += bad;
	return true;
}

static bool run_worker_points(struct __test_metadata *_metadata,
			      struct fctx *c, const struct fop *f)
{
	unsigned int i;

	for (i = 0; i < sizeof(injectors) / sizeof(injectors[0]); i++)
		if (!run_injector_points(_metadata, c, f, injectors[i]))
			return false;
	return true;
}

static const char *const knobs[][2] = {
	{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
	{ DEBUGFS "/failslab/verbose", "0" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
	{ DEBUGFS "/fail_page_alloc/min-order", "0" },
	{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	/* the worker pass (fail-nth ignores them) */
	{ FS_KNOB("task-filter"), "Y" },
	{ FS_KNOB("probability"), "0" },
	{ FS_KNOB("interval"), "1" },
	{ FS_KNOB("times"), "1" },
	{ FS_KNOB("space"), "0" },
	{ FP_KNOB("task-filter"), "Y" },
	{ FP_KNOB("probability"), "0" },
	{ FP_KNOB("interval"), "1" },
	{ FP_KNOB("times"), "1" },
	{ FP_KNOB("space"), "0" },
};

#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

FIXTURE(fault) {
	struct fctx c;
	char saved[NKNOBS][16];
};

FIXTURE_SETUP(fault)
{
	const char *env;
	unsigned int i;

	memset(&self->c, 0, sizeof(self->c));
	self->c.nth = -1;
	self->c.nl = -1;
	self->c.fd = self->c.sgfd = self->c.aux = -1;
	self->c.kmsg = -1;
	if (access(FAIL_NTH, F_OK))
		SKIP(return, "no %s: a kernel without CONFIG_FAULT_INJECTION",
		     FAIL_NTH);
	if (access(DEBUGFS "/failslab", F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	if (access(DEBUGFS "/failslab", F_OK) ||
	    access(DEBUGFS "/fail_page_alloc", F_OK))
		SKIP(return, "no failslab or fail_page_alloc in debugfs");
	for (i = 0; i < NKNOBS; i++) {
		ASSERT_EQ(0, read_str_file(knobs[i][0], self->saved[i],
					   sizeof(self->saved[i])));
		ASSERT_EQ(0, write_str(knobs[i][0], knobs[i][1]));
	}
	self->c.nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->c.nth);
	self->c.ko = getenv("OPTSIM_KO");
	ASSERT_NE(NULL, self->c.ko) {
		TH_LOG("OPTSIM_KO is not set (selftests/run.sh sets it)");
	}
	self->c.modparams = getenv("OPTSIM_MODPARAMS");
	if (!self->c.modparams)
		self->c.modparams = "";
	self->c.points = F_POINTS;
	env = getenv("OPTSIM_FAULT_POINTS");
	if (env && *env)
		self->c.points = (unsigned int)strtoul(env, NULL, 0);
	env = getenv("OPTSIM_FAULT_ONLY");
	if (env && *env)
		self->c.only = env;
	env = getenv("OPTSIM_FAULT_NTH");
	if (env && *env) {
		char *end;

		ASSERT_NE(NULL, self->c.only) {
			TH_LOG("OPTSIM_FAULT_NTH needs OPTSIM_FAULT_ONLY");
		}
		self->c.only_nth = (unsigned int)strtoul(env, &end, 10);
		self->c.only_last = *end == '-' ?
			(unsigned int)strtoul(end + 1, &end, 10) :
			self->c.only_nth;
		ASSERT_TRUE(!*end && self->c.only_nth &&
			    self->c.only_nth <= self->c.only_last) {
			TH_LOG("OPTSIM_FAULT_NTH=%s: give N or N-M, 1 <= N <= M",
			       env);
		}
		ASSERT_EQ(0, write_str(DEBUGFS "/failslab/verbose", "2"));
		ASSERT_EQ(0, write_str(DEBUGFS "/fail_page_alloc/verbose", "2"));
	}
	snprintf(self->c.dir, sizeof(self->c.dir), "/tmp/optsim-fault.%d",
		 getpid());
	ASSERT_EQ(0, mkdir(self->c.dir, 0700));
	snprintf(self->c.img, sizeof(self->c.img), "%s/img", self->c.dir);
	snprintf(self->c.save, sizeof(self->c.save), "%s/save", self->c.dir);
	self->c.snap = malloc(IMG_BYTES_MAX);
	self->c.now = malloc(IMG_BYTES_MAX);
	self->c.buf = io_buf(CLUSTER_BYTES);
	ASSERT_NE(NULL, self->c.buf);
	fill_pattern(self->c.buf, 64, CLUSTER, 5);
	ASSERT_NE(NULL, self->c.snap);
	ASSERT_NE(NULL, self->c.now);
	self->c.nl = nl_open();
	ASSERT_LE(0, self->c.nl);
	ASSERT_LT(0, nl_family_id());
	self->c.family = (uint16_t)nl_family_id();
	ASSERT_EQ(0, find_optsim_sg(self->c.sg, sizeof(self->c.sg))) {
		TH_LOG("no sg node of drive 0 (is sg built in or loaded?)");
	}
}

FIXTURE_TEARDOWN(fault)
{
	unsigned int i;

	if (self->c.nth < 0)
		return;
	set_nth(&self->c, 0);
	close(self->c.nth);
	write_str(FS_KNOB("probability"), "0");
	write_str(FP_KNOB("probability"), "0");
	flag_workers(false);
	if (self->c.monitor > 0) {
		kill(self->c.monitor, SIGTERM);
		waitpid(self->c.monitor, NULL, 0);
	}
	if (self->c.kmsg >= 0)
		close(self->c.kmsg);
	for (i = 0; i < NKNOBS; i++)
		write_str(knobs[i][0], self->saved[i]);
	post_eject(&self->c);
	if (self->c.nl >= 0)
		close(self->c.nl);
	unlink(self->c.img);
	unlink(self->c.save);
	rmdir(self->c.dir);
	free(self->c.snap);
	free(self->c.now);
	if (self->c.buf)
		io_free(self->c.buf, CLUSTER_BYTES);
}

/* The drive works: a fresh BD-RE, one cluster back. */
static void drive_works(struct __test_metadata *_metadata)
{
	struct optsim_info info;
	void *buf;
	int fd;

	ASSERT_EQ(0, load(OPTSIM_MEDIA_BD_RE));
	fd = dev_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_get_info(fd, &info));
	EXPECT_EQ(0ULL, info.recorded_clusters[0]);
	ASSERT_EQ((ssize_t)CLUSTER_BYTES, write_sectors(fd, 0, CLUSTER, 6));
	buf = io_buf(CLUSTER_BYTES);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ((ssize_t)CLUSTER_BYTES, pread(fd, buf, CLUSTER_BYTES, 0));
	EXPECT_EQ(-1L, pattern_mismatch(buf, 0, CLUSTER, 6));
	io_free(buf, CLUSTER_BYTES);
	do_eject(fd);
	close(fd);
}

TEST_F_TIMEOUT(fault, every_request, 7200)
{
	struct fctx *c = &self->c;
	unsigned int i;

	/* The 6.1 harness runs the test after a SKIP() in the setup. */
	if (c->nth < 0)
		SKIP(return, "no fault injection here");
	for (i = 0; i < sizeof(fops) / sizeof(fops[0]); i++)
		ASSERT_TRUE(run_op(_metadata, c, &fops[i], run_op_points));
	TH_LOG("fault injection: %lu allocations counted, %lu failures injected: %lu refused cleanly, %lu absorbed, %lu unclean",
	       c->allocs, c->injected, c->refused - c->unclean + 0,
	       c->absorbed, c->unclean);
	EXPECT_EQ(0UL, c->unclean);
	EXPECT_LT(0UL, c->injected);
	drive_works(_metadata);
}

TEST_F_TIMEOUT(fault, worker_requests, 7200)
{
	struct fctx *c = &self->c;
	const char *ctl = getenv("OPTSIMCTL");
	unsigned int i;

	if (c->nth < 0)
		SKIP(return, "no fault injection here");
	ASSERT_NE(NULL, ctl) {
		TH_LOG("OPTSIMCTL is not set (selftests/run.sh sets it)");
	}
	ASSERT_EQ(0, write_str(FS_KNOB("verbose"), "2"));
	ASSERT_EQ(0, write_str(FP_KNOB("verbose"), "2"));
	c->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, c->kmsg);
	/* A listener: a write then queues its notification work. */
	c->monitor = fork();
	ASSERT_LE(0, c->monitor);
	if (!c->monitor) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl(ctl, "optsimctl", "monitor", (char *)NULL);
		_exit(127);
	}
	usleep(500000);
	for (i = 0; i < sizeof(fops) / sizeof(fops[0]); i++)
		if (fops[i].worker)
			ASSERT_TRUE(run_op(_metadata, c, &fops[i],
					   run_worker_points));
	TH_LOG("fault injection in workers: %lu bytes and pages, %lu failures injected (%lu in optsim's code): %lu refused, %lu absorbed, %lu unclean",
	       c->wbytes, c->winjected, c->wours, c->wrefused, c->wabsorbed,
	       c->unclean);
	EXPECT_EQ(0UL, c->unclean);
	if (!c->only)
		EXPECT_LT(0UL, c->wours);
	drive_works(_metadata);
}

TEST_HARNESS_MAIN
