package net.corosio.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Works around a Netty 4.2.18 epoll defect: when a channel's interest set becomes empty (input
 * shut down, reading paused, nothing left to write), {@code EpollIoHandler} removes the socket from
 * epoll ({@code EPOLL_CTL_DEL}) but still believes it is added, so the next interest ({@code
 * EPOLLOUT} for a write the socket cannot take at once, {@code EPOLLIN} when reading resumes) is an
 * {@code EPOLL_CTL_MOD} that fails with {@code ENOENT} and fails the channel. That hits every
 * connection that reads to end-of-stream while paused and then resumes, or writes under
 * backpressure after end-of-stream.
 *
 * <p>This wraps the epoll handler and turns an empty interest set, once the socket has been added,
 * into {@code EPOLLET} alone: the socket stays in epoll, asks for no events, and gets a hang-up or
 * error at most once (edge-triggered) instead of a busy loop, which is what the empty set was meant
 * to prevent. Everything else goes straight to Netty's handler.
 */
// @corrects epoll-empty-interest: Netty's epoll removes a socket whose interest set is empty but
// still believes it added, so the next interest fails the channel with ENOENT; EPOLLET alone keeps it.
final class EpollRegistrations {

    private EpollRegistrations() {}

    /**
     * Wraps the epoll handler factory.
     *
     * @param factory {@code EpollIoHandler.newFactory()}
     * @return a factory of handlers whose registrations never empty their interest set
     */
    static IoHandlerFactory keepingSocketsAdded(IoHandlerFactory factory) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new Handler(factory.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return factory.isChangingThreadSupported();
            }
        };
    }

    private record Handler(IoHandler delegate) implements IoHandler {

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            return delegate.run(context);
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return new Registration(delegate.register(handle));
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }

    /** A registration that never submits an empty interest set once the socket is in epoll. */
    private static final class Registration implements IoRegistration {

        private final IoRegistration delegate;
        private boolean added; // only touched on the event loop, like every submit

        Registration(IoRegistration delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T attachment() {
            return delegate.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            if (((EpollIoOps) ops).value() == EpollIoOps.NONE.value()) {
                return added ? delegate.submit(EpollIoOps.EPOLLET) : delegate.submit(ops);
            }
            long result = delegate.submit(ops);
            added |= result > 0;
            return result;
        }

        @Override
        public boolean isValid() {
            return delegate.isValid();
        }

        @Override
        public boolean cancel() {
            return delegate.cancel();
        }
    }
}
