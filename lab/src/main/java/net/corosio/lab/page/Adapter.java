package net.corosio.lab.page;

import java.util.List;

/**
 * What one backend's adapter is made of, measured from its sources and its build at report time.
 *
 * @param name the backend's name ({@code netty} for {@code backend-netty})
 * @param files main source files
 * @param codeLines main source lines that are neither blank nor only a comment
 * @param tlsLines of those, the TLS code: whole files whose name says TLS or SSL, and the lines
 *     of the other files that mention TLS, SSL, a handshake or {@code close_notify}
 * @param libraryTypes the third-party types (and wildcard packages) the main sources import, sorted
 * @param jdkIoTypes the JDK networking types they import ({@code java.net}, {@code java.nio.channels},
 *     {@code javax.net.ssl}), sorted
 * @param ownTests test methods in the backend's own test sources
 * @param kitRuns how many of its test classes run the whole compatibility kit ({@code *ConformanceTest})
 * @param jarBytes the size of the backend's built jar, or -1 when it is not built
 * @param dependencies its run-time dependencies other than the corosio modules, or {@code null}
 *     when the build's list is missing
 * @param corrections the corrections of native behaviour marked in its sources
 */
record Adapter(String name, int files, int codeLines, int tlsLines, List<String> libraryTypes, List<String> jdkIoTypes,
        int ownTests, int kitRuns, long jarBytes, List<Dependency> dependencies, List<Correction> corrections) {

    /**
     * One run-time dependency, from the build's dependency list.
     *
     * @param coordinates {@code group:artifact[:classifier]:version}
     * @param bytes the jar's size, or -1 when the file is missing
     */
    record Dependency(String coordinates, long bytes) {}

    /**
     * Returns the dependencies' total size.
     *
     * @return bytes, counting missing files as 0
     */
    long dependencyBytes() {
        return dependencies == null ? 0 : dependencies.stream().mapToLong(d -> Math.max(0, d.bytes())).sum();
    }
}
