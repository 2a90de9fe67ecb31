package io.cqkd.dht.shell.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cqkd.dht.shell.support.CommandFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlServerTest {
    private static final ControlServer.Limits LIMITS =
            new ControlServer.Limits(64, 2, Duration.ofSeconds(1), Duration.ofMillis(500), 1024);

    private final CountDownLatch release = new CountDownLatch(1);
    private ControlServer server;

    /** A fake shell: "echo X", "fail X", "boom", "sleep" (until released or interrupted), "big". */
    private int fakeShell(String line, PrintStream out, PrintStream err) throws Exception {
        if (line.startsWith("echo ")) {
            out.println(line.substring(5));
            out.println("second line");
            return 0;
        }
        if (line.startsWith("fail ")) {
            throw new CommandFailure(line.substring(5));
        }
        if (line.equals("boom")) {
            throw new IllegalStateException("Cannot coerce dht:put(String) to any of [...]");
        }
        if (line.equals("warn")) {
            err.println("careful");
            return 0;
        }
        if (line.equals("sleep")) {
            release.await(10, TimeUnit.SECONDS);
            return 0;
        }
        if (line.equals("big")) {
            out.print("y".repeat(5000));
            return 0;
        }
        throw new IllegalArgumentException("Command not found: " + line);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private ControlServer start() throws IOException {
        server = ControlServer.start(0, this::fakeShell, LIMITS);
        assertTrue(server.port() > 0);
        return server;
    }

    private String exchange(String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void runsOneCommandAndEndsWithItsStatus() throws IOException {
        start();
        assertEquals("O hello\nO second line\nX 0\n", exchange("echo hello\n"));
        assertEquals("O crlf\nO second line\nX 0\n", exchange("echo crlf\r\n"));
        assertEquals("E careful\nX 0\n", exchange("warn\n"));
    }

    @Test
    void failuresAreOneLineOnStderrWithStatusOne() throws IOException {
        start();
        assertEquals("E unknown node 'x'\nX 1\n", exchange("fail unknown node 'x'\n"));
        assertEquals("E Cannot coerce dht:put(String) to any of [...]\nX 1\n", exchange("boom\n"));
        assertEquals("E Command not found: nope\nX 1\n", exchange("nope\n"));
    }

    @Test
    void badRequestsAreRefused() throws IOException {
        start();
        assertEquals("E command line longer than 64 bytes\nX 2\n", exchange("echo " + "x".repeat(100) + "\n"));
        assertEquals("E empty command line\nX 2\n", exchange("   \n"));
        assertEquals("E command line is not UTF-8\nX 2\n", new String(rawExchange(new byte[] {(byte) 0xC3, 0x28, '\n'}),
                StandardCharsets.UTF_8));
        assertEquals("E no command line within 1 s\nX 2\n", exchangeWithoutNewline("echo"));
    }

    @Test
    void commandsAreTimedOutAndTheServerStaysUsable() throws IOException {
        start();
        long t0 = System.nanoTime();
        assertEquals("E timed out after 0 s\nX 4\n".replace("0 s", LIMITS.commandTimeout().toSeconds() + " s"),
                exchange("sleep\n"));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos());
        // the interrupted command ends, freeing its slot
        assertEquals("O ok\nO second line\nX 0\n", exchange("echo ok\n"));
    }

    @Test
    void concurrentSessionsAreBounded() throws Exception {
        start();
        Socket a = new Socket(InetAddress.getLoopbackAddress(), server.port());
        Socket b = new Socket(InetAddress.getLoopbackAddress(), server.port());
        try (a; b) {
            // both slots held by sessions still waiting for their line
            waitFor(() -> server.running() == 2);
            assertEquals("E busy: 2 control sessions running, try again\nX 5\n", exchange("echo late\n"));
        }
        waitFor(() -> server.running() == 0);
        assertEquals("O again\nO second line\nX 0\n", exchange("echo again\n"));
    }

    @Test
    void outputIsBounded() throws IOException {
        start();
        String reply = exchange("big\n");
        assertTrue(reply.contains("[output cut: " + (5000 - 1024) + " more bytes]"), reply);
        assertTrue(reply.endsWith("X 0\n"));
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        start();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            assertTrue(s.getInetAddress().isLoopbackAddress());
        }
        // the server socket is bound to the loopback address, not the wildcard
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var addr : java.util.Collections.list(nif.getInetAddresses())) {
                if (!addr.isLoopbackAddress() && addr instanceof java.net.Inet4Address) {
                    try (Socket s = new Socket()) {
                        s.connect(new java.net.InetSocketAddress(addr, server.port()), 500);
                        throw new AssertionError("accepted a connection on " + addr);
                    } catch (IOException expected) {
                        // refused: good
                    }
                }
            }
        }
    }

    @Test
    void clientPrintsOutputAndReturnsTheStatus() throws IOException {
        start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(ControlProtocol.PORT_ENV, Integer.toString(server.port()));
        int status = ControlClient.run(new String[] {"echo", "hi", "there"}, env, ps(out), ps(err));
        assertEquals(0, status);
        assertEquals("hi there\nsecond line\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        status = ControlClient.run(new String[] {"--port", Integer.toString(server.port()), "fail bad JSON"},
                Map.of(), ps(out), ps(err));
        assertEquals(1, status);
        assertEquals("bad JSON\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void clientReportsAnUnreachableContainerInOneLine() throws IOException {
        int freePort;
        try (var ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = ss.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ControlClient.run(new String[] {"--port", Integer.toString(freePort), "lb"}, Map.of(),
                ps(new ByteArrayOutputStream()), ps(err));
        assertEquals(ControlProtocol.EXIT_UNREACHABLE, status);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("cqkd-client: container not reachable on 127.0.0.1:" + freePort), msg);
        assertEquals(1, msg.lines().count());
        assertEquals(ControlProtocol.EXIT_BAD_REQUEST, ControlClient.run(new String[] {"--port", "x", "lb"}, Map.of(),
                ps(new ByteArrayOutputStream()), ps(new ByteArrayOutputStream())));
        assertEquals(ControlProtocol.EXIT_BAD_REQUEST, ControlClient.run(new String[0], Map.of(),
                ps(new ByteArrayOutputStream()), ps(new ByteArrayOutputStream())));
    }

    private byte[] rawExchange(byte[] raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5000);
            OutputStream os = s.getOutputStream();
            os.write(raw);
            os.flush();
            return s.getInputStream().readAllBytes();
        }
    }

    private String exchangeWithoutNewline(String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static PrintStream ps(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
