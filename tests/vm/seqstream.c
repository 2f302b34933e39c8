/* A numbered UDP stream for the test guest, in place of busybox ping, whose 7 kB socket buffer
 * drops the replies to the burst of requests a starved TCG guest sends when its timers catch
 * up (seen as "missing" sequence numbers that the network had in fact delivered).
 *   seqstream echo PORT                 send every datagram back to where it came from
 *   seqstream ping PEER PORT MS         send 1, 2, 3... to PEER:PORT every MS milliseconds and
 *                                       print "seq=N " for every answer, unbuffered
 *   seqstream memory                    keep one count on two pages of memory, written one after
 *                                       the other, and print "torn a=A b=B" whenever they differ
 *                                       where the program looks (only a move or restore that
 *                                       brought the pages back from different moments can do that),
 *                                       and "stale a=A mine=M" when both agree but not with what
 *                                       the loop last wrote (a copy that missed its last writes)
 * Both ask for a 4 MB receive buffer. Built static into the guest by build_guest.sh. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int udp_socket(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (bind(fd, (struct sockaddr*)&at, sizeof at) != 0) {
    perror("seqstream: bind");
    exit(1);
  }
  return fd;
}

static _Noreturn void echo(int port) {
  int fd = udp_socket(port);
  char buffer[2048];
  for (;;) {
    struct sockaddr_in from;
    socklen_t length = sizeof from;
    ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &length);
    if (n > 0) sendto(fd, buffer, (size_t)n, 0, (struct sockaddr*)&from, length);
  }
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static _Noreturn void ping(const char* peer, int port, int interval_ms) {
  int fd = udp_socket(0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, peer, &to.sin_addr);
  setvbuf(stdout, NULL, _IONBF, 0);
  uint32_t sent = 0;
  long long next = now_ms();
  for (;;) {
    if (now_ms() >= next) {
      uint32_t seq = htonl(++sent);
      sendto(fd, &seq, sizeof seq, 0, (struct sockaddr*)&to, sizeof to);
      next += interval_ms;
    }
    struct pollfd ready = {.fd = fd, .events = POLLIN};
    long long wait = next - now_ms();
    if (poll(&ready, 1, wait > 0 ? (int)wait : 0) > 0) {
      uint32_t seq;
      if (recv(fd, &seq, sizeof seq, 0) == sizeof seq) printf("seq=%u \n", ntohl(seq));
    }
  }
}

// Two pages of this process, written alternately at a high rate: the kind of memory a copy
// made while the guest runs must bring back from one moment (the last one before its stop).
static volatile uint64_t page_a[512] __attribute__((aligned(4096)));
static volatile uint64_t page_b[512] __attribute__((aligned(4096)));

static _Noreturn void memory(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("memory: checking\n");
  uint64_t mine = 0;  // the count as this loop last wrote it, held in the vCPU's registers
  for (;;) {
    for (int i = 0; i < 20000; ++i) {
      uint64_t a = page_a[0], b = page_b[0];
      if (a != b) printf("torn a=%llu b=%llu\n", (unsigned long long)a, (unsigned long long)b);
      if (a == b && a != mine) printf("stale a=%llu mine=%llu\n", (unsigned long long)a, (unsigned long long)mine);
      if (a > mine || b > mine) mine = a > b ? a : b;
      page_a[0] = ++mine;
      page_b[0] = mine;
    }
    usleep(2000);  // leaves the guest's one vCPU to the rest of its work
  }
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "echo") == 0) echo(atoi(argv[2]));
  if (argc == 5 && strcmp(argv[1], "ping") == 0) ping(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (argc == 2 && strcmp(argv[1], "memory") == 0) memory();
  fprintf(stderr, "usage: seqstream echo PORT | seqstream ping PEER PORT MS | seqstream memory\n");
  return 2;
}
