package org.atrium.gateway.cli;

/** Runs the operator CLI in-process for tests outside this package. */
public final class CliRunner {
    /** Exit code and output of one run. */
    public record Run(int exit, String out, String err) {
    }

    private CliRunner() {
    }

    public static Run run(String... args) {
        AdminCliTest.Run r = AdminCliTest.cli(args);
        return new Run(r.exit(), r.out(), r.err());
    }
}
