package net.corosio.netty;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LeakReports} when the test run starts, before any test class can make Netty
 * create its leak detectors (registered in {@code META-INF/services}).
 */
public final class LeakDetectionSession implements LauncherSessionListener {

    /** Called by the JUnit launcher. */
    public LeakDetectionSession() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakReports.install();
    }
}
