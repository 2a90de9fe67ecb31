package io.cqkd.dht.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The generator: plans a {@link DeployRequest} (validating everything), renders every file in
 * memory, and only then writes them: into a fresh temporary directory beside the output directory,
 * moved into place at the end. An invalid topology therefore writes nothing, and a failed write
 * leaves no partial set of files behind.
 *
 * <p>Output is deterministic: the same request gives the same bytes (ordered maps, no
 * timestamps, {@code \n} line ends, UTF-8).
 */
public final class ManifestGenerator {
    private ManifestGenerator() {
    }

    /**
     * What was written.
     *
     * @param summary the plan in one line
     * @param files   the files written, in order
     */
    public record Result(String summary, List<Path> files) {
        /** Copies. */
        public Result {
            files = List.copyOf(files);
        }
    }

    /** Every file of the formats, by name relative to the output directory, in a fixed order. */
    public static Map<String, String> render(Deployment d, List<DeployFormat> formats) {
        Map<String, String> files = new LinkedHashMap<>();
        for (DeployFormat f : formats) {
            switch (f) {
                case COMPOSE -> files.put(ComposeRenderer.COMPOSE_FILE, ComposeRenderer.compose(d));
                case SWARM -> files.put(ComposeRenderer.STACK_FILE, ComposeRenderer.swarm(d));
                case K8S -> files.putAll(KubernetesRenderer.render(d));
                default -> throw new IllegalStateException("unknown format " + f);
            }
        }
        return files;
    }

    /**
     * Validates, renders and writes.
     *
     * @throws DeployException an invalid request (nothing written) or a failed write (nothing left behind)
     */
    public static Result generate(DeployRequest request) {
        Deployment plan = Deployment.plan(request.spec());
        Map<String, String> files = render(plan, request.formats());
        return new Result(plan.summary(), write(request.out(), files));
    }

    /**
     * Writes {@code files} into {@code out}: all of them, or none.
     *
     * @throws DeployException naming the path that failed
     */
    public static List<Path> write(Path out, Map<String, String> files) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new DeployException("--out " + out + " exists and is not a directory");
        }
        Path parent = target.getParent();
        if (parent == null) {
            throw new DeployException("--out " + out + " must not be the root directory");
        }
        Path temp = null;
        try {
            Files.createDirectories(parent);
            temp = Files.createTempDirectory(parent, ".cqkd-deploy-");
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // a temporary directory is private (rwx------); the output directory it becomes is not
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(temp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
            List<Path> written = new ArrayList<>();
            if (!Files.exists(target)) {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    temp = null;
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    Files.createDirectories(target);
                }
            }
            if (temp != null) {
                for (String name : files.keySet()) {
                    Files.move(temp.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
            for (String name : files.keySet()) {
                written.add(target.resolve(name));
            }
            return written;
        } catch (IOException e) {
            throw new DeployException("cannot write " + out + ": " + e, e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: the temporary directory is hidden and named .cqkd-deploy-*
        }
    }
}
