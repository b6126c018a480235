package net.corosio.tck;

import java.util.Map;
import java.util.concurrent.Executor;
import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The compatibility kit. A backend proves it follows {@code SPEC.md} with one small test class:
 *
 * <pre>{@code
 * class LoomConformanceTest extends TransportKit {
 *     @Override
 *     protected TransportProvider provider() {
 *         return new LoomTransportProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Each group of rules is a nested class, and each test is named after its rule ({@code
 * required_3_4_writesFromManyThreadsAreAtomic}) and tagged {@code required} or {@code optional}.
 * Every test gets a fresh transport from {@link #provider()} with {@link #config()}.
 */
public abstract class TransportKit {

    /**
     * Returns the provider under test. Called once per test; a new instance each time is fine.
     *
     * @return the provider
     */
    protected abstract TransportProvider provider();

    /**
     * Returns the settings each test's transport is created with.
     *
     * @return the configuration; the defaults unless overridden
     */
    protected TransportConfig config() {
        return TransportConfig.defaults();
    }

    /**
     * Returns where the servers of every test run their handlers, unless a test chooses an
     * executor itself: {@link HandlerExecutors#virtualThreads()} unless overridden. A backend with
     * {@link net.corosio.Capability#EVENT_LOOP_HANDLERS} runs the whole kit a second time with
     * {@link HandlerExecutors#eventLoop()}, whose outcome must be the same for every rule.
     *
     * @return the handler executor of the kit's servers
     */
    protected Executor handlerExecutor() {
        return HandlerExecutors.virtualThreads();
    }

    /**
     * Returns the rules this backend is known to break, each with the reason (a bug of the library
     * it is built on, say, with a reference). Their tests are reported as skipped with {@code
     * "known departure: "} and the reason, never as passed, so the departure stays visible in
     * every report of the kit; {@code -D}{@value RuleGroup#RUN_KNOWN_DEPARTURES}{@code =true} runs
     * them anyway, to see whether they still fail. Empty unless overridden: a backend that claims
     * conformance lists nothing here.
     *
     * @return rule numbers ({@code "8.22"}) to reasons
     */
    protected Map<String, String> knownDepartures() {
        return Map.of();
    }

    /** Rules 1.x. */
    @Nested
    @DisplayName("1 discovery and lifecycle")
    class Discovery extends DiscoveryRules {
        Discovery() {
            super(TransportKit.this);
        }
    }

    /** Rule 1.8: what a connection gives back when it ends. */
    @Nested
    @DisplayName("1 what an ended connection releases")
    class Release extends ReleaseRules {
        Release() {
            super(TransportKit.this);
        }
    }

    /** Rules 2.x. */
    @Nested
    @DisplayName("2 connect and accept")
    class ConnectAndAccept extends ConnectRules {
        ConnectAndAccept() {
            super(TransportKit.this);
        }
    }

    /** Rules 2.x about accepting under stress. */
    @Nested
    @DisplayName("2 accepting under stress")
    class AcceptUnderStress extends AcceptRules {
        AcceptUnderStress() {
            super(TransportKit.this);
        }
    }

    /** Rules 3.x. */
    @Nested
    @DisplayName("3 data")
    class Data extends DataRules {
        Data() {
            super(TransportKit.this);
        }
    }

    /** Rules 4.x. */
    @Nested
    @DisplayName("4 half-close and end-of-stream")
    class HalfClose extends HalfCloseRules {
        HalfClose() {
            super(TransportKit.this);
        }
    }

    /** Rules 5.x. */
    @Nested
    @DisplayName("5 close, abort and reset")
    class CloseAbortReset extends CloseRules {
        CloseAbortReset() {
            super(TransportKit.this);
        }
    }

    /** Rules 6.x. */
    @Nested
    @DisplayName("6 backpressure")
    class Backpressure extends BackpressureRules {
        Backpressure() {
            super(TransportKit.this);
        }
    }

    /** Rules 7.x. */
    @Nested
    @DisplayName("7 timeouts and cancellation")
    class TimeoutsAndCancellation extends TimeoutRules {
        TimeoutsAndCancellation() {
            super(TransportKit.this);
        }
    }

    /** Rules 8.x. */
    @Nested
    @DisplayName("8 TLS")
    class Tls extends TlsRules {
        Tls() {
            super(TransportKit.this);
        }
    }

    /** Rules 8.x that hold TLS to the plaintext rules. */
    @Nested
    @DisplayName("8 TLS parity")
    class TlsParity extends TlsParityRules {
        TlsParity() {
            super(TransportKit.this);
        }
    }

    /** Rules 8.x about renegotiation, key updates and handshakes cut short. */
    @Nested
    @DisplayName("8 TLS handshakes")
    class TlsHandshakes extends TlsHandshakeRules {
        TlsHandshakes() {
            super(TransportKit.this);
        }
    }

    /** Rules 9.x. */
    @Nested
    @DisplayName("9 handlers and threading")
    class HandlersAndThreading extends HandlerRules {
        HandlersAndThreading() {
            super(TransportKit.this);
        }
    }

    /** Rules 10.x. */
    @Nested
    @DisplayName("10 observability")
    class Observability extends ObservabilityRules {
        Observability() {
            super(TransportKit.this);
        }
    }

    /** Rules 10.5, the JFR events. */
    @Nested
    @DisplayName("10 observability: JFR events")
    class FlightRecorder extends JfrRules {
        FlightRecorder() {
            super(TransportKit.this);
        }
    }

    /** Rules 11.x. */
    @Nested
    @DisplayName("11 faults on the path")
    class FaultsOnThePath extends FaultRules {
        FaultsOnThePath() {
            super(TransportKit.this);
        }
    }

    /** Rules 12.x. */
    @Nested
    @DisplayName("12 handlers carried by the event loop")
    class HandlersOnTheLoop extends EventLoopRules {
        HandlersOnTheLoop() {
            super(TransportKit.this);
        }
    }

    /** Rules 13.x. */
    @Nested
    @DisplayName("13 lent buffers")
    class LentBuffers extends LendingRules {
        LentBuffers() {
            super(TransportKit.this);
        }
    }
}
