package net.corosio;

import java.util.concurrent.Executor;

/**
 * The executors a {@link Server} can run its handlers on. Handlers block (every call suspends), so
 * the default is one new virtual thread per connection; a platform thread pool can be passed in
 * {@link ServerOptions} instead, to compare schedulers.
 */
public final class HandlerExecutors {

    private static final Executor VIRTUAL_THREADS = new VirtualThreadPerTask();

    private HandlerExecutors() {}

    /**
     * Returns the executor that starts one virtual thread per handler, named {@code
     * corosio-handler-N}. It owns no resources and is never shut down.
     *
     * @return the shared virtual-thread executor
     */
    public static Executor virtualThreads() {
        return VIRTUAL_THREADS;
    }

    private static final class VirtualThreadPerTask implements Executor {
        private final Thread.Builder builder = Thread.ofVirtual().name("corosio-handler-", 0);

        @Override
        public void execute(Runnable task) {
            builder.start(task);
        }

        @Override
        public String toString() {
            return "virtual-thread-per-connection";
        }
    }
}
