package io.cqkd.dht.deploy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code bin/cqkd-deploy}: exit 0 written, 2 invalid input (nothing written), 1 write failed. */
public final class DeployMain {
    private DeployMain() {
    }

    /** Runs and exits. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs; returns the exit status. */
    static int run(PrintStream out, PrintStream err, String... args) {
        DeployRequest request;
        try {
            Map<String, String> values = DeployOptions.parseArgs(args);
            if (Boolean.parseBoolean(values.getOrDefault("help", "false"))) {
                out.println(DeployOptions.USAGE);
                return 0;
            }
            request = DeployOptions.request(values);
            Deployment.plan(request.spec());
        } catch (DeployException e) {
            err.println("cqkd-deploy: " + e.getMessage());
            return 2;
        }
        try {
            ManifestGenerator.Result r = ManifestGenerator.generate(request);
            out.println("cqkd-deploy: " + r.summary());
            for (Path p : r.files()) {
                out.println("  wrote " + p);
            }
            return 0;
        } catch (DeployException e) {
            err.println("cqkd-deploy: " + e.getMessage());
            return 1;
        }
    }
}
