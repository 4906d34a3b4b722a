package io.melo.matrix.internal;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** The OkHttpClient shared by configurations that set none, with daemon dispatcher threads. */
public final class DefaultHttp {

  private DefaultHttp() {}

  private static final class Holder {
    static final OkHttpClient CLIENT =
        new OkHttpClient.Builder().dispatcher(new Dispatcher(daemonPool("melo-matrix-http"))).build();
  }

  /** The shared default client, created on first use. */
  public static OkHttpClient client() {
    return Holder.CLIENT;
  }

  /** A cached thread pool of daemon threads, like OkHttp's own dispatcher pool. */
  static ThreadPoolExecutor daemonPool(String name) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
