/*
 * peapod-podmon: one monitor per pod, in place of one conmon per container.
 *
 * It is the parent (a child subreaper) of every container of one pod that has no stdin and no
 * terminal, the pause container included, so that one small process, not three, outlives the daemon
 * for each pod. For each container it runs the OCI runtime's `create` (or `run --detach`, which starts it
 * as well, one runtime process instead of two), relays stdout and stderr to the
 * CRI log file (and to attach clients), and writes the exit code to `<exit dir>/<id>` when the
 * container ends: the files conmon would write, so the daemon reads both alike.
 *
 * usage: peapod-podmon SANDBOX_ID DIR RUNTIME [RUNTIME_GLOBAL_ARG...]
 *   Listens on DIR/monitor.sock (SOCK_SEQPACKET) before it detaches, writes its pid to
 *   DIR/monitor.pid, and exits once the pause container has ended and no container is left.
 *
 * Requests, one packet each, fields ended by NUL; the reply is one packet: "ok [PID]", "refused TEXT"
 * (the OCI runtime's create failed; its log says why) or "error TEXT":
 *   create ID BUNDLE LOG LOG_SIZE_MAX EXIT_DIR ATTACH_LINK PAUSE(0|1)
 *   run ID BUNDLE LOG LOG_SIZE_MAX EXIT_DIR ATTACH_LINK PAUSE(0|1)
 *                    create and start at once
 *   reopen ID        reopen the log file (after it was moved away)
 *   quit             exit now if no container is left
 *
 * Everything is one thread and one epoll loop; buffers are static so the process stays a few pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONTAINERS 128
#define MAX_ATTACH 8
#define BUF 8192
/* Reads of one stream per wake-up: a container that writes without pause cannot hold the loop. */
#define READS_PER_WAKE 4
/* At its exit a container's pipes are drained of at most this much (a pipe holds 64 KiB by default);
 * a process it left behind that keeps writing cannot hold the exit back. */
#define DRAIN_AT_EXIT (256 * 1024)
/* conmon's attach protocol: each packet starts with the stream it carries. */
#define ATTACH_STDOUT 2
#define ATTACH_STDERR 3
/* A monitor never asked to create anything (its daemon died right after starting it) leaves. */
#define IDLE_EXIT_SECONDS 60

enum tag { T_LISTEN = 1, T_SIGNAL, T_REQUEST, T_OUT, T_ERR, T_ATTACH_LISTEN, T_ATTACH_CLIENT };

struct container {
  int used;
  char *id, *bundle, *log_path, *exit_dir, *attach_link;
  long log_max, log_written;
  int pause;
  pid_t runtime_pid; /* the runtime's `create`, while it runs */
  int reply_fd;      /* the daemon's connection waiting for that create */
  pid_t pid;         /* the container's process, once created */
  unsigned long kept_before; /* exits kept unclaimed before its runtime started cannot be its process's */
  int out, err, log, attach_listen;
  int log_failing; /* the last write to the log failed; said once, not for every line */
  int attach[MAX_ATTACH];
};

static struct container containers[MAX_CONTAINERS];

/* Exits no container claims yet. A container's process can be reaped before the runtime that started it:
 * runc is multi-threaded, and its children pass to this subreaper when its last thread ends, a moment
 * before runc itself can be reaped. Such an exit is kept until the runtime's exit names its pid. Other
 * orphans that end here are forgotten as newer exits take their places. */
#define UNCLAIMED 64
static struct {
  pid_t pid;
  int status;
  unsigned long seq;
} unclaimed[UNCLAIMED];
static unsigned long kept; /* exits kept so far; each one's sequence number */
static int epfd;
static int pause_ended;
static int ever_created;
static const char *sandbox_id;
static char **runtime_argv; /* RUNTIME and its global arguments */
static int runtime_argc;
static unsigned char buf[BUF + 1];
static char *sock_path;
/* CRI lines of one chunk of output, written with one write(2). */
static char out_buf[2 * BUF];
static size_t out_len;

static void logf_(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "podmon %s: ", sandbox_id);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* epoll data: the tag in the low byte, the container slot above it. */
static void watch(int fd, enum tag tag, int slot) {
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (unsigned long long)slot << 8 | tag};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
    logf_("epoll_ctl: %s", strerror(errno));
  }
}

static void closefd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

static char *path_join(const char *dir, const char *name) {
  char *p;
  if (asprintf(&p, "%s/%s", dir, name) < 0) {
    return NULL;
  }
  return p;
}

static void reply(int fd, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof msg) {
    n = sizeof msg - 1;
  }
  if (send(fd, msg, n, MSG_NOSIGNAL) < 0) {
    logf_("reply: %s", strerror(errno));
  }
  close(fd);
}

/* Writes `text` to `dir/name` under a temporary name first, so readers never see half a file. */
static int write_atomic(const char *dir, const char *name, const char *text) {
  char tmp[4096], final[4096];
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
  snprintf(final, sizeof final, "%s/%s", dir, name);
  unlink(tmp);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return -1;
  }
  size_t len = strlen(text);
  int ok = write(fd, text, len) == (ssize_t)len;
  close(fd);
  if (!ok || rename(tmp, final) < 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* Opens the log for appending and records how long it is, so the size cap counts what is there. */
static int open_log(struct container *c) {
  int fd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640);
  struct stat st;
  if (fd >= 0) {
    c->log_written = fstat(fd, &st) == 0 ? st.st_size : 0;
  }
  return fd;
}

/* As conmon does with --log-size-max: a log that would pass the size is started afresh under a
 * temporary name and renamed over the live one, so the daemon's rotator sees a rename. */
static void restart_log(struct container *c) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", c->log_path);
  unlink(tmp);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0 || rename(tmp, c->log_path) < 0) {
    logf_("start %s afresh: %s", c->log_path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    return;
  }
  closefd(&c->log);
  c->log = fd;
  c->log_written = 0;
}

/* Writes the lines gathered in out_buf. A write that fails part-way is cut back to where it began, so
 * the log never holds half a line; a failure (a full disk) is said once, when it begins. */
static void flush_log(struct container *c) {
  size_t done = 0;
  while (c->log >= 0 && done < out_len) {
    ssize_t n = write(c->log, out_buf + done, out_len - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      if (!c->log_failing) {
        logf_("write %s: %s; output is dropped until a write succeeds", c->log_path, strerror(errno));
      }
      c->log_failing = 1;
      if (done > 0 && ftruncate(c->log, c->log_written) < 0) {
        logf_("cut %s back to %ld bytes: %s", c->log_path, c->log_written, strerror(errno));
      }
      out_len = 0;
      return;
    }
    done += n;
  }
  if (c->log_failing) {
    logf_("writing %s again", c->log_path);
    c->log_failing = 0;
  }
  c->log_written += out_len;
  out_len = 0;
}

/* One line of kubelet's CRI log format: `<RFC3339Nano UTC> <stream> <F|P> <text>\n`, F for a full line,
 * P for the part of one that had no newline yet. */
static void log_line(struct container *c, const char *head, size_t head_len, const unsigned char *text, size_t len,
    int full) {
  size_t total = head_len + 2 + len + 1;
  if (c->log_max > 0 && c->log_written + (long)(out_len + total) > c->log_max && c->log_written + (long)out_len > 0) {
    flush_log(c);
    restart_log(c);
  }
  if (out_len + total > sizeof out_buf) {
    flush_log(c);
  }
  /* A line longer than the buffer (at most BUF) always fits once it is empty. */
  memcpy(out_buf + out_len, head, head_len);
  out_buf[out_len + head_len] = full ? 'F' : 'P';
  out_buf[out_len + head_len + 1] = ' ';
  memcpy(out_buf + out_len + head_len + 2, text, len);
  out_buf[out_len + total - 1] = '\n';
  out_len += total;
}

/* Relays what one stream has, up to `reads` reads, to the log and to attach clients. */
static void relay(struct container *c, int stream_fd, int attach_stream, int reads) {
  const char *stream = attach_stream == ATTACH_STDOUT ? "stdout" : "stderr";
  ssize_t n = 0;
  for (int r = 0; r < reads && (n = read(stream_fd, buf + 1, BUF)) > 0; r++) {
    char head[64];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t head_len = snprintf(head, sizeof head, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ %s ", tm.tm_year + 1900,
        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, stream);
    unsigned char *p = buf + 1, *end = buf + 1 + n;
    while (p < end) {
      unsigned char *nl = memchr(p, '\n', end - p);
      if (nl == NULL) {
        log_line(c, head, head_len, p, end - p, 0);
        break;
      }
      log_line(c, head, head_len, p, nl - p, 1);
      p = nl + 1;
    }
    flush_log(c);
    buf[0] = attach_stream;
    for (int i = 0; i < MAX_ATTACH; i++) {
      /* A client that does not keep up loses this chunk rather than stalling the pod's logs. */
      if (c->attach[i] >= 0 && send(c->attach[i], buf, n + 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
        closefd(&c->attach[i]);
      }
    }
  }
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    if (stream_fd == c->out) {
      closefd(&c->out);
    } else {
      closefd(&c->err);
    }
  }
}

static void free_container(struct container *c) {
  /* A pod whose pause ended, or could not be made, has no use for its monitor once the rest end. */
  pause_ended |= c->pause;
  closefd(&c->out);
  closefd(&c->err);
  closefd(&c->log);
  closefd(&c->attach_listen);
  for (int i = 0; i < MAX_ATTACH; i++) {
    closefd(&c->attach[i]);
  }
  free(c->id);
  free(c->bundle);
  free(c->log_path);
  free(c->exit_dir);
  free(c->attach_link);
  memset(c, 0, sizeof *c);
}

static void container_exited(struct container *c, int status) {
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  /* What the container wrote before it ended is in the log before its exit is. */
  if (c->out >= 0) {
    relay(c, c->out, ATTACH_STDOUT, DRAIN_AT_EXIT / BUF);
  }
  if (c->err >= 0) {
    relay(c, c->err, ATTACH_STDERR, DRAIN_AT_EXIT / BUF);
  }
  char text[16];
  snprintf(text, sizeof text, "%d", code);
  if (write_atomic(c->exit_dir, c->id, text) < 0) {
    logf_("write exit file of %s: %s", c->id, strerror(errno));
  }
  free_container(c);
}

/* conmon's layout: the socket is `<attach link>/attach`, the link (short, beside the daemon's other
 * sockets) pointing to the bundle, so the address fits in sun_path however deep the bundle is. */
static int attach_socket(struct container *c) {
  unlink(c->attach_link);
  if (symlink(c->bundle, c->attach_link) < 0) {
    return -1;
  }
  char *path = path_join(c->attach_link, "attach");
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (path == NULL || strlen(path) >= sizeof addr.sun_path) {
    free(path);
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(addr.sun_path, path);
  unlink(path);
  free(path);
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || chmod(addr.sun_path, 0600) < 0
      || listen(fd, 8) < 0) {
    if (fd >= 0) {
      close(fd);
    }
    return -1;
  }
  return fd;
}

static pid_t read_pidfile(const char *bundle) {
  char *path = path_join(bundle, "pidfile");
  char text[32] = {0};
  int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  free(path);
  if (fd < 0) {
    return -1;
  }
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 ? (pid_t)strtol(text, NULL, 10) : -1;
}

static void runtime_exited(struct container *c, int status) {
  int fd = c->reply_fd;
  c->runtime_pid = 0;
  c->reply_fd = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    reply(fd, "refused the OCI runtime exited with %d",
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    free_container(c);
    return;
  }
  c->pid = read_pidfile(c->bundle);
  char self[16];
  snprintf(self, sizeof self, "%d", getpid());
  if (c->pid <= 0 || write_atomic(c->bundle, "monitor.pid", self) < 0 || (c->attach_listen = attach_socket(c)) < 0) {
    reply(fd, "error record container %s in %s: %s", c->id, c->bundle, c->pid <= 0 ? "no pid file" : strerror(errno));
    if (c->pid > 0) {
      kill(c->pid, SIGKILL);
    }
    free_container(c);
    return;
  }
  watch(c->attach_listen, T_ATTACH_LISTEN, c - containers);
  reply(fd, "ok %d", c->pid);
  for (int i = 0; i < UNCLAIMED; i++) {
    if (unclaimed[i].pid == c->pid && unclaimed[i].seq >= c->kept_before) {
      unclaimed[i].pid = 0;
      container_exited(c, unclaimed[i].status);
      return;
    }
  }
}

static struct container *find_id(const char *id) {
  for (int i = 0; i < MAX_CONTAINERS; i++) {
    if (containers[i].used && strcmp(containers[i].id, id) == 0) {
      return &containers[i];
    }
  }
  return NULL;
}

static void create(int fd, char **f, int nf, int start) {
  if (nf != 8) {
    reply(fd, "error %s takes 8 fields, not %d", f[0], nf);
    return;
  }
  if (find_id(f[1]) != NULL) {
    reply(fd, "error container %s is already monitored", f[1]);
    return;
  }
  struct container *c = NULL;
  for (int i = 0; i < MAX_CONTAINERS && c == NULL; i++) {
    if (!containers[i].used) {
      c = &containers[i];
    }
  }
  if (c == NULL) {
    reply(fd, "error this pod already has %d containers", MAX_CONTAINERS);
    return;
  }
  *c = (struct container){.used = 1, .id = strdup(f[1]), .bundle = strdup(f[2]), .log_path = strdup(f[3]),
      .log_max = strtol(f[4], NULL, 10), .exit_dir = strdup(f[5]), .attach_link = strdup(f[6]),
      .pause = strcmp(f[7], "1") == 0, .reply_fd = fd, .out = -1, .err = -1, .log = -1, .attach_listen = -1};
  for (int i = 0; i < MAX_ATTACH; i++) {
    c->attach[i] = -1;
  }
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  c->log = open_log(c);
  if (c->log < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
    reply(fd, "error open the log %s or pipes: %s", c->log_path, strerror(errno));
    closefd(&out[0]);
    closefd(&out[1]);
    free_container(c);
    return;
  }
  char *runtime_log = path_join(c->bundle, "runtime.log");
  char *pidfile = path_join(c->bundle, "pidfile");
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(null);
    char *argv[runtime_argc + 13];
    int n = 0;
    for (int i = 0; i < runtime_argc; i++) {
      argv[n++] = runtime_argv[i];
    }
    char *head[] = {"--log-format", "json", "--log", runtime_log};
    memcpy(argv + n, head, sizeof head);
    n += 4;
    if (start) {
      /* The runtime returns once the process runs; it is this monitor's child from then on, as after create. */
      argv[n++] = "run";
      argv[n++] = "--detach";
    } else {
      argv[n++] = "create";
    }
    char *tail[] = {"--bundle", c->bundle, "--pid-file", pidfile, c->id, NULL};
    memcpy(argv + n, tail, sizeof tail);
    /* The runtime, and so the container, starts with the signals as a fresh process has them. */
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[0], argv);
    _exit(127);
  }
  free(runtime_log);
  free(pidfile);
  close(out[1]);
  close(err[1]);
  c->out = out[0];
  c->err = err[0];
  if (pid < 0) {
    reply(fd, "error fork: %s", strerror(errno));
    free_container(c);
    return;
  }
  fcntl(c->out, F_SETFL, O_NONBLOCK);
  fcntl(c->err, F_SETFL, O_NONBLOCK);
  watch(c->out, T_OUT, c - containers);
  watch(c->err, T_ERR, c - containers);
  c->runtime_pid = pid;
  c->kept_before = kept;
  ever_created = 1;
}

static int live_containers(void) {
  int n = 0;
  for (int i = 0; i < MAX_CONTAINERS; i++) {
    n += containers[i].used;
  }
  return n;
}

/* One request from a connection (non-blocking: a client that connects and says nothing cannot hold
 * the loop; it is watched until it speaks or leaves). */
static void request(int fd) {
  static char req[8192];
  ssize_t n = recv(fd, req, sizeof req - 1, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    watch(fd, T_REQUEST, fd);
    return;
  }
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
  if (n <= 0) {
    close(fd);
    return;
  }
  req[n] = 0;
  char *f[16];
  int nf = 0;
  for (char *p = req; p < req + n && nf < 16; p += strlen(p) + 1) {
    f[nf++] = p;
  }
  if (nf == 0) {
    reply(fd, "error empty request");
  } else if (strcmp(f[0], "create") == 0 || strcmp(f[0], "run") == 0) {
    create(fd, f, nf, strcmp(f[0], "run") == 0);
  } else if (strcmp(f[0], "reopen") == 0 && nf == 2) {
    struct container *c = find_id(f[1]);
    if (c == NULL || c->pid <= 0) {
      reply(fd, "error container %s is not running under this monitor", f[1]);
      return;
    }
    long written = c->log_written;
    int log = open_log(c);
    if (log < 0) {
      c->log_written = written;
      reply(fd, "error reopen %s: %s", c->log_path, strerror(errno));
      return;
    }
    closefd(&c->log);
    c->log = log;
    reply(fd, "ok");
  } else if (strcmp(f[0], "quit") == 0) {
    if (live_containers() > 0) {
      reply(fd, "error %d containers are still monitored", live_containers());
      return;
    }
    reply(fd, "ok");
    unlink(sock_path);
    exit(0);
  } else {
    reply(fd, "error unknown request %s", f[0]);
  }
}

/* The runtime's own exit is handled before its container's: the container's pid is known only from
 * the runtime's pid file, and a container killed at once can be reaped in the same batch. */
static void reap(void) {
  struct exited {
    pid_t pid;
    int status;
  } batch[64];
  int n;
  do {
    n = 0;
    int status;
    pid_t pid;
    while (n < 64 && (pid = waitpid(-1, &status, WNOHANG)) > 0) {
      batch[n++] = (struct exited){pid, status};
    }
    int claimed[64] = {0};
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < MAX_CONTAINERS && !claimed[b]; i++) {
          struct container *c = &containers[i];
          if (pass == 0 && c->used && c->runtime_pid == batch[b].pid) {
            claimed[b] = 1;
            runtime_exited(c, batch[b].status);
          } else if (pass == 1 && c->used && c->pid > 0 && c->pid == batch[b].pid) {
            claimed[b] = 1;
            container_exited(c, batch[b].status);
          }
        }
      }
    }
    for (int b = 0; b < n; b++) {
      if (!claimed[b]) {
        unclaimed[kept % UNCLAIMED].pid = batch[b].pid;
        unclaimed[kept % UNCLAIMED].status = batch[b].status;
        unclaimed[kept % UNCLAIMED].seq = kept;
        kept++;
      }
    }
  } while (n == 64);
}

static void accept_attach(struct container *c) {
  int fd = accept4(c->attach_listen, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    return;
  }
  for (int i = 0; i < MAX_ATTACH; i++) {
    if (c->attach[i] < 0) {
      c->attach[i] = fd;
      watch(fd, T_ATTACH_CLIENT, c - containers);
      return;
    }
  }
  close(fd);
}

/* Input on an attach socket (this monitor's containers have no stdin) is dropped; a client that
 * leaves is forgotten. */
static void attach_client(struct container *c, unsigned int events) {
  for (int i = 0; i < MAX_ATTACH; i++) {
    if (c->attach[i] < 0) {
      continue;
    }
    char scratch[256];
    ssize_t n = recv(c->attach[i], scratch, sizeof scratch, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN) || (events & EPOLLHUP && n <= 0)) {
      closefd(&c->attach[i]);
    }
  }
}

/* Bound by its name in DIR, the monitor's working directory, so any DIR fits in sun_path. */
static int listen_on(const char *dir, const char *name) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (chdir(dir) < 0) {
    fprintf(stderr, "podmon: chdir %s: %s\n", dir, strerror(errno));
    return -1;
  }
  strcpy(addr.sun_path, name);
  unlink(name);
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || chmod(name, 0600) < 0 || listen(fd, 64) < 0) {
    fprintf(stderr, "podmon: listen on %s/%s: %s\n", dir, name, strerror(errno));
    return -1;
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: peapod-podmon SANDBOX_ID DIR RUNTIME [RUNTIME_GLOBAL_ARG...]\n");
    return 2;
  }
  sandbox_id = argv[1];
  const char *dir = argv[2];
  runtime_argv = argv + 3;
  runtime_argc = argc - 3;
  umask(0077);
  sock_path = path_join(dir, "monitor.sock");
  int listen_fd = sock_path ? listen_on(dir, "monitor.sock") : -1;
  if (listen_fd < 0) {
    return 1;
  }
  /* Detach: the daemon reaps this first process; the monitor lives on in its own session. Once the
   * pid file is written the socket is already listening, so the daemon may connect at once. */
  pid_t child = fork();
  if (child < 0) {
    perror("podmon: fork");
    return 1;
  }
  if (child > 0) {
    char text[16];
    snprintf(text, sizeof text, "%d", child);
    if (write_atomic(dir, "monitor.pid", text) < 0) {
      perror("podmon: write monitor.pid");
      kill(child, SIGKILL);
      return 1;
    }
    return 0;
  }
  setsid();
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
    logf_("become a subreaper: %s", strerror(errno));
    return 1;
  }
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (sfd < 0 || epfd < 0) {
    logf_("signalfd/epoll: %s", strerror(errno));
    return 1;
  }
  watch(listen_fd, T_LISTEN, 0);
  watch(sfd, T_SIGNAL, 0);
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  for (;;) {
    struct epoll_event evs[16];
    int n = epoll_wait(epfd, evs, 16, 5000);
    if (n < 0 && errno != EINTR) {
      logf_("epoll_wait: %s", strerror(errno));
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int tag = evs[i].data.u64 & 0xff;
      unsigned long long slot = evs[i].data.u64 >> 8; /* a container's slot, or a request's descriptor */
      struct container *c = &containers[slot < MAX_CONTAINERS ? slot : 0];
      switch (tag) {
        case T_LISTEN: {
          int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (fd >= 0) {
            request(fd);
          }
          break;
        }
        case T_REQUEST:
          request((int)slot);
          break;
        case T_SIGNAL: {
          struct signalfd_siginfo si;
          while (read(sfd, &si, sizeof si) == sizeof si) {
          }
          reap();
          break;
        }
        case T_OUT:
          if (c->used && c->out >= 0) {
            relay(c, c->out, ATTACH_STDOUT, READS_PER_WAKE);
          }
          break;
        case T_ERR:
          if (c->used && c->err >= 0) {
            relay(c, c->err, ATTACH_STDERR, READS_PER_WAKE);
          }
          break;
        case T_ATTACH_LISTEN:
          if (c->used && c->attach_listen >= 0) {
            accept_attach(c);
          }
          break;
        case T_ATTACH_CLIENT:
          if (c->used) {
            attach_client(c, evs[i].events);
          }
          break;
      }
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (live_containers() == 0 && (pause_ended || (!ever_created && now.tv_sec - started.tv_sec > IDLE_EXIT_SECONDS))) {
      unlink(sock_path);
      return 0;
    }
  }
}
