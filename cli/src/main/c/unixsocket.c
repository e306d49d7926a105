/*
 * The CLI's unix socket calls, for io.peapod.cli.client.NativeSocket (JNI).
 *
 * The JDK's own unix sockets seed a SecureRandom the first time one is opened (for temporary socket
 * names the CLI never uses), which loads the security providers: ~18 ms of a cold CLI's ~60. These
 * five calls cost a fraction of a millisecond. Errors become java.io.IOException with the system's
 * message, as the JDK's channels say them.
 */
#include <errno.h>
#include <jni.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* One read or write moves at most this much: a stack buffer, so no Java array is pinned while the
 * call blocks. */
#define CHUNK 16384

static void throw_io(JNIEnv *env, int err) {
  jclass c = (*env)->FindClass(env, "java/io/IOException");
  if (c != NULL) {
    (*env)->ThrowNew(env, c, strerror(err));
  }
}

JNIEXPORT jint JNICALL Java_io_peapod_cli_client_NativeSocket_connect(JNIEnv *env, jclass cls, jbyteArray path) {
  (void) cls;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  jsize n = (*env)->GetArrayLength(env, path);
  if (n <= 0 || (size_t) n >= sizeof addr.sun_path) {
    throw_io(env, ENAMETOOLONG);
    return -1;
  }
  (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *) addr.sun_path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_io(env, errno);
    return -1;
  }
  int r;
  do {
    r = connect(fd, (struct sockaddr *) &addr, sizeof addr);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int err = errno;
    close(fd);
    throw_io(env, err);
    return -1;
  }
  return fd;
}

JNIEXPORT jint JNICALL Java_io_peapod_cli_client_NativeSocket_read(JNIEnv *env, jclass cls, jint fd, jbyteArray b,
    jint off, jint len) {
  (void) cls;
  char buf[CHUNK];
  size_t want = len < CHUNK ? (size_t) len : CHUNK;
  ssize_t r;
  do {
    r = read(fd, buf, want);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    throw_io(env, errno);
    return -1;
  }
  if (r > 0) {
    (*env)->SetByteArrayRegion(env, b, off, (jsize) r, (jbyte *) buf);
  }
  return (jint) r;
}

/* MSG_NOSIGNAL: a daemon that closed first is an EPIPE error, not a SIGPIPE. */
JNIEXPORT jint JNICALL Java_io_peapod_cli_client_NativeSocket_write(JNIEnv *env, jclass cls, jint fd, jbyteArray b,
    jint off, jint len) {
  (void) cls;
  char buf[CHUNK];
  jint n = len < CHUNK ? len : CHUNK;
  (*env)->GetByteArrayRegion(env, b, off, n, (jbyte *) buf);
  ssize_t w;
  do {
    w = send(fd, buf, (size_t) n, MSG_NOSIGNAL);
  } while (w < 0 && errno == EINTR);
  if (w < 0) {
    throw_io(env, errno);
    return -1;
  }
  return (jint) w;
}

JNIEXPORT void JNICALL Java_io_peapod_cli_client_NativeSocket_shutdown(JNIEnv *env, jclass cls, jint fd, jint how) {
  (void) cls;
  if (shutdown(fd, how == 1 ? SHUT_WR : SHUT_RDWR) < 0 && errno != ENOTCONN) {
    throw_io(env, errno);
  }
}

JNIEXPORT void JNICALL Java_io_peapod_cli_client_NativeSocket_close(JNIEnv *env, jclass cls, jint fd) {
  (void) env;
  (void) cls;
  close(fd);
}
