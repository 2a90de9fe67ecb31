package io.cqkd.dht.shell.control;

import io.cqkd.dht.shell.support.CommandFailure;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback-only TCP server that runs one command line per connection (see
 * {@link ControlProtocol}). Plain Java, no OSGi: {@link ControlChannel} wraps it.
 *
 * <p>Bounds: the command line is at most {@link Limits#maxLineBytes} bytes and must arrive within
 * {@link Limits#readTimeout}; at most {@link Limits#maxSessions} commands run at once (more
 * connections are answered "busy" at once); a command gets {@link Limits#commandTimeout}, after
 * which the client is answered and the command's thread interrupted; at most
 * {@link Limits#maxOutputBytes} of output are kept per command. A command still running after its
 * timeout keeps its session slot until it ends, so stuck commands cannot pile up.
 */
public final class ControlServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    /**
     * The server's bounds.
     *
     * @param maxLineBytes   longest command line, in bytes
     * @param maxSessions    commands running at once
     * @param readTimeout    time for the client to send its line
     * @param commandTimeout time for a command to finish
     * @param maxOutputBytes output kept per stream per command; more is cut with a note
     */
    public record Limits(int maxLineBytes, int maxSessions, Duration readTimeout, Duration commandTimeout,
                         int maxOutputBytes) {
        /** Default longest command line: room for a put of the largest value (8 KiB, escaped). */
        public static final int MAX_LINE_DEFAULT = 32 * 1024;

        /** Defaults: 32 KiB lines, 4 sessions, 5 s to send, 60 s to run, 4 MiB output. */
        public static final Limits DEFAULT = new Limits(MAX_LINE_DEFAULT, 4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                4 * 1024 * 1024);

        /** Rejects non-positive bounds. */
        public Limits {
            if (maxLineBytes < 16 || maxSessions < 1 || readTimeout.isNegative() || readTimeout.isZero()
                    || commandTimeout.isNegative() || commandTimeout.isZero() || maxOutputBytes < 1024) {
                throw new IllegalArgumentException("control limits out of range: " + maxLineBytes + " bytes, "
                        + maxSessions + " sessions, " + readTimeout + ", " + commandTimeout + ", " + maxOutputBytes);
            }
        }
    }

    private final CommandRunner runner;
    private final Limits limits;
    private final ServerSocket serverSocket;
    private final ExecutorService sessions;
    private final ExecutorService commands;
    private final AtomicInteger running = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(CommandRunner runner, Limits limits, ServerSocket serverSocket) {
        this.runner = runner;
        this.limits = limits;
        this.serverSocket = serverSocket;
        AtomicInteger n = new AtomicInteger();
        // One thread talks to the client, one runs the command: a timed-out command does not hold the
        // socket. The pools are not capped themselves: the running counter admits at most maxSessions.
        this.sessions = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "cqkd-control-session-" + n.incrementAndGet()));
        this.commands = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> daemon(r, "cqkd-control-command-" + n.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "cqkd-control-accept");
    }

    /**
     * Binds 127.0.0.1:{@code port} (0 = an ephemeral port) and starts accepting.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ControlServer start(int port, CommandRunner runner, Limits limits) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        ControlServer server = new ControlServer(runner, limits, ss);
        server.acceptor.start();
        return server;
    }

    /** The bound port. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Commands currently running (including timed-out ones that have not ended yet). */
    public int running() {
        return running.get();
    }

    /** Stops accepting, interrupts running commands and closes; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("control.close_failed reason={}", e.toString());
        }
        sessions.shutdownNow();
        commands.shutdownNow();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("control.accept_failed reason={}", e.toString());
                    sleepQuietly();
                }
                continue;
            }
            if (!socket.getInetAddress().isLoopbackAddress()) {
                LOG.warn("control.refused peer={} reason=not_loopback", socket.getInetAddress().getHostAddress());
                closeQuietly(socket);
                continue;
            }
            if (running.incrementAndGet() > limits.maxSessions()) {
                running.decrementAndGet();
                replyAndClose(socket, "busy: " + limits.maxSessions() + " control sessions running, try again",
                        ControlProtocol.EXIT_BUSY);
                continue;
            }
            try {
                sessions.execute(() -> session(socket));
            } catch (RuntimeException e) { // rejected: shutting down, or the pool is still full of ending sessions
                running.decrementAndGet();
                replyAndClose(socket, "busy: control channel is shutting down or full, try again",
                        ControlProtocol.EXIT_BUSY);
            }
        }
    }

    private void session(Socket socket) {
        boolean commandOwnsSlot = false;
        try (socket) {
            socket.setSoTimeout((int) limits.readTimeout().toMillis());
            String line;
            try {
                line = readLine(socket.getInputStream(), limits.maxLineBytes());
            } catch (CommandFailure e) {
                reply(socket.getOutputStream(), null, null, e.getMessage(), ControlProtocol.EXIT_BAD_REQUEST);
                return;
            } catch (SocketTimeoutException e) {
                reply(socket.getOutputStream(), null, null, "no command line within "
                        + limits.readTimeout().toSeconds() + " s", ControlProtocol.EXIT_BAD_REQUEST);
                return;
            }
            if (line.isBlank()) {
                reply(socket.getOutputStream(), null, null, "empty command line", ControlProtocol.EXIT_BAD_REQUEST);
                return;
            }
            BoundedBuffer out = new BoundedBuffer(limits.maxOutputBytes());
            BoundedBuffer err = new BoundedBuffer(limits.maxOutputBytes());
            PrintStream outPs = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errPs = new PrintStream(err, true, StandardCharsets.UTF_8);
            Future<Integer> result = commands.submit(() -> {
                try {
                    return runner.run(line, outPs, errPs);
                } finally {
                    outPs.flush();
                    errPs.flush();
                    running.decrementAndGet();
                }
            });
            commandOwnsSlot = true;
            int status;
            String failure = null;
            try {
                status = result.get(limits.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                result.cancel(true);
                status = ControlProtocol.EXIT_TIMEOUT;
                failure = "timed out after " + limits.commandTimeout().toSeconds() + " s";
                LOG.warn("control.command_timeout seconds={}", limits.commandTimeout().toSeconds());
            } catch (ExecutionException e) {
                status = ControlProtocol.EXIT_FAILED;
                failure = describe(e.getCause());
            }
            reply(socket.getOutputStream(), out, err, failure, status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SocketException e) {
            LOG.debug("control.client_gone reason={}", e.toString());
        } catch (IOException e) {
            LOG.debug("control.session_failed reason={}", e.toString());
        } finally {
            if (!commandOwnsSlot) {
                running.decrementAndGet();
            }
        }
    }

    /** One line describing a failed command: the message of a {@link CommandFailure}, else "Type: message". */
    static String describe(Throwable t) {
        if (t == null) {
            return "failed";
        }
        if (t instanceof CommandFailure) {
            return t.getMessage();
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return CommandFailure.oneLine(msg);
    }

    /**
     * Reads one line of at most {@code max} bytes, without its line end.
     *
     * @throws CommandFailure when it is too long, not UTF-8, or the stream ends first
     */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0) {
                    throw new CommandFailure("no command line (connection closed)");
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            if (buf.size() >= max) {
                throw new CommandFailure("command line longer than " + max + " bytes");
            }
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, len)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandFailure("command line is not UTF-8");
        }
    }

    private static void reply(OutputStream os, BoundedBuffer out, BoundedBuffer err, String failure, int status)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        if (out != null) {
            tagLines(sb, ControlProtocol.OUT, out.text());
        }
        if (err != null) {
            tagLines(sb, ControlProtocol.ERR, err.text());
        }
        if (failure != null) {
            sb.append(ControlProtocol.ERR).append(' ').append(CommandFailure.oneLine(failure)).append('\n');
        }
        sb.append(ControlProtocol.EXIT).append(' ').append(status).append('\n');
        os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    private static void tagLines(StringBuilder sb, char tag, String text) {
        if (text.isEmpty()) {
            return;
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\r?\n", -1)) {
            sb.append(tag).append(' ').append(line).append('\n');
        }
    }

    private static void replyAndClose(Socket socket, String failure, int status) {
        try (socket) {
            reply(socket.getOutputStream(), null, null, failure, status);
        } catch (IOException e) {
            LOG.debug("control.reply_failed reason={}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do with a refused socket
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the first {@code max} bytes written and notes that the rest was cut. */
    static final class BoundedBuffer extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int max;
        private long dropped;

        BoundedBuffer(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (buf.size() < max) {
                buf.write(b);
            } else {
                dropped++;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, max - buf.size());
            int keep = Math.min(room, len);
            buf.write(b, off, keep);
            dropped += len - keep;
        }

        synchronized String text() {
            String s = buf.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? s : s + "\n[output cut: " + dropped + " more bytes]\n";
        }
    }
}
