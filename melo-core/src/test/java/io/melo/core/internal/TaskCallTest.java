package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.MeloCallback;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.MeloProtocolException;
import io.melo.core.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskCallTest {

  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final List<Runnable> callbacks = new ArrayList<>();

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  private <T> TaskCall<T> call(TaskCall.Task<T> task) {
    return new TaskCall<>("testing", task, worker, callbacks::add);
  }

  @Test
  void executeRunsOnceOnTheCallersThread() {
    AtomicInteger runs = new AtomicInteger();
    Thread caller = Thread.currentThread();
    TaskCall<String> call = call(ctx -> {
      runs.incrementAndGet();
      assertThat(Thread.currentThread()).isSameAs(caller);
      return "done";
    });
    assertThat(call.isExecuted()).isFalse();
    assertThat(call.execute()).isEqualTo("done");
    assertThat(call.isExecuted()).isTrue();
    assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class).hasMessageContaining("copy()");
    assertThatThrownBy(call::future).isInstanceOf(IllegalStateException.class);
    assertThat(call.copy().execute()).isEqualTo("done");
    assertThat(runs).hasValue(2);
  }

  @Test
  void failuresKeepTheirKind() {
    NotFoundException missing = new NotFoundException("server !x:hs", null);
    assertThatThrownBy(() -> call(ctx -> { throw missing; }).execute()).isSameAs(missing);
  }

  @Test
  void aDefectBecomesAMeloFailureSoCallbacksStillRun() {
    assertThatThrownBy(() -> call(ctx -> { throw new NullPointerException("bug"); }).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("testing failed unexpectedly")
        .hasCauseInstanceOf(NullPointerException.class);
  }

  @Test
  void enqueueRunsExactlyOneCallbackOnTheCallbackExecutor() throws Exception {
    List<String> outcome = new ArrayList<>();
    MeloCallback<String> callback = new MeloCallback<>() {
      @Override
      public void onSuccess(String result) {
        outcome.add("ok " + result);
      }

      @Override
      public void onFailure(MeloException failure) {
        outcome.add("failed " + failure.getMessage());
      }
    };
    call(ctx -> "yes").enqueue(callback);
    this.<String>call(ctx -> { throw new NotFoundException("channel !c:hs", null); }).enqueue(callback);
    worker.submit(() -> {}).get(5, TimeUnit.SECONDS); // both tasks ran: the worker is single-threaded
    assertThat(outcome).isEmpty(); // callbacks wait for the callback executor
    callbacks.forEach(Runnable::run);
    assertThat(outcome).containsExactly("ok yes", "failed no channel !c:hs");
  }

  @Test
  void futureCompletesWithTheResultOrTheMeloException() throws Exception {
    assertThat(call(ctx -> 42).future().get(5, TimeUnit.SECONDS)).isEqualTo(42);
    CompletableFuture<Integer> failed = this.<Integer>call(ctx -> { throw new NotFoundException("message $m", null); }).future();
    assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void cancellingTheFutureCancelsTheCallAndAbortsTheStepInFlight() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    AtomicInteger stepsAfterCancel = new AtomicInteger();
    TaskCall<String> call = call(ctx -> {
      try (AutoCloseable hook = ctx.onCancel(aborted::countDown)) {
        started.countDown();
        if (!aborted.await(5, TimeUnit.SECONDS)) {
          throw new AssertionError("never aborted");
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      // A request aborted by cancel surfaces as a network failure from the Matrix layer.
      ctx.checkCancelled();
      stepsAfterCancel.incrementAndGet();
      return "never";
    });
    CompletableFuture<String> future = call.future();
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(future.cancel(true)).isTrue();
    assertThat(call.isCancelled()).isTrue();
    assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
    worker.submit(() -> {}).get(5, TimeUnit.SECONDS);
    assertThat(stepsAfterCancel).hasValue(0);
  }

  @Test
  void aCancelledCallFailsAsCancelledWithoutRunning() {
    AtomicInteger runs = new AtomicInteger();
    TaskCall<String> call = call(ctx -> {
      runs.incrementAndGet();
      return "x";
    });
    call.cancel();
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(MeloNetworkException.class, e -> assertThat(e.cancelled()).isTrue())
        .hasMessage("testing was cancelled");
    assertThat(runs).hasValue(0);
  }

  @Test
  void aHookAddedAfterCancelRunsAtOnce() {
    CallContext context = new CallContext("x");
    context.cancel();
    AtomicInteger ran = new AtomicInteger();
    context.onCancel(ran::incrementAndGet);
    assertThat(ran).hasValue(1);
  }

  @Test
  void aRefusingCallExecutorFailsTheCallInsteadOfThrowing() throws Exception {
    TaskCall<String> call = new TaskCall<>("testing", ctx -> "x", job -> {
      throw new java.util.concurrent.RejectedExecutionException("down");
    }, Runnable::run);
    assertThatThrownBy(() -> call.future().get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MeloNetworkException.class);
  }

  @Test
  void aBadArgumentFoundDuringTheCallKeepsItsKind() throws Exception {
    assertThatThrownBy(() -> call(ctx -> { throw new IllegalArgumentException("not a channel: !x"); }).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a channel: !x");
    CompletableFuture<String> future = this.<String>call(ctx -> { throw new IllegalArgumentException("bad"); }).future();
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
  }
}
