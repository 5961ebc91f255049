package com.magicdistill.platform;

/**
 * What the S3Proxy child JVM runs: exits when the JVM that started it ends, however it ends, then
 * hands over to S3Proxy's own main. A JVM killed with SIGKILL runs no shutdown hook, and Java has
 * no parent-death signal, so the child watches its parent itself.
 *
 * <p>Arguments: the starting JVM's pid, S3Proxy's main class, then S3Proxy's arguments. Only JDK
 * classes may be used here: S3Proxy's jar is the rest of this JVM's classpath.
 */
public final class S3ProxyChildMain {
  private S3ProxyChildMain() {}

  public static void main(String[] args) throws Exception {
    long parentPid = Long.parseLong(args[0]);
    ProcessHandle parent =
        ProcessHandle.current().parent().filter(p -> p.pid() == parentPid).orElse(null);
    if (parent == null) {
      System.err.println(
          "S3Proxy not started: the process that started it (" + parentPid + ") ended");
      System.exit(1);
    }
    parent
        .onExit()
        .thenRun(
            () -> {
              System.err.println(
                  "S3Proxy stops: the process that started it (" + parentPid + ") ended");
              System.exit(0);
            });
    String[] rest = new String[args.length - 2];
    System.arraycopy(args, 2, rest, 0, rest.length);
    Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object) rest);
  }
}
