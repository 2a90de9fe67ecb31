package io.cqkd.dht.shell.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code bin/cqkd-client}: runs one Gogo command line in the container on this host through the
 * loopback control channel and exits with its status (see {@link ControlProtocol} for the codes).
 * JDK only, so it runs with just the shell bundle jar on the class path:
 * <pre>java -cp bundle/cqkd-shell-*.jar io.cqkd.dht.shell.control.ControlClient [--port N] 'dht:nodes'</pre>
 */
public final class ControlClient {
    private static final String USAGE = "usage: cqkd-client [--port N] [--timeout SECONDS] '<gogo command line>'";
    private static final int CONNECT_TIMEOUT_MS = 3000;
    private static final int DEFAULT_TIMEOUT_S = 75;

    private ControlClient() {
    }

    /** Runs the client and exits with the command's status. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** The client, testable: returns the exit status instead of exiting. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Integer port = null;
        int timeout = DEFAULT_TIMEOUT_S;
        StringBuilder command = new StringBuilder();
        try {
            int i = 0;
            for (; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--port") || a.equals("-p")) {
                    port = number(args, ++i, "--port", 1, 65535);
                } else if (a.startsWith("--port=")) {
                    port = number(new String[] {a.substring(7)}, 0, "--port", 1, 65535);
                } else if (a.equals("--timeout")) {
                    timeout = number(args, ++i, "--timeout", 1, 86400);
                } else if (a.equals("-h") || a.equals("--help")) {
                    out.println(USAGE);
                    out.println("Runs one command in the cqkd container on this host (port: --port, else $"
                            + ControlProtocol.PORT_ENV + ", else " + ControlProtocol.DEFAULT_PORT + ").");
                    out.println("Exit status: 0 ok, 1 command failed, 2 bad request, 3 container not reachable,"
                            + " 4 timeout, 5 busy.");
                    return ControlProtocol.EXIT_OK;
                } else if (a.equals("--")) {
                    i++;
                    break;
                } else {
                    break;
                }
            }
            for (; i < args.length; i++) {
                if (!command.isEmpty()) {
                    command.append(' ');
                }
                command.append(args[i]);
            }
            if (port == null) {
                String e = env.get(ControlProtocol.PORT_ENV);
                port = e == null || e.isBlank() ? ControlProtocol.DEFAULT_PORT
                        : number(new String[] {e.trim()}, 0, "$" + ControlProtocol.PORT_ENV, 1, 65535);
            }
        } catch (IllegalArgumentException e) {
            err.println("cqkd-client: " + e.getMessage());
            err.println(USAGE);
            return ControlProtocol.EXIT_BAD_REQUEST;
        }
        String line = command.toString().strip();
        if (line.isEmpty()) {
            err.println(USAGE);
            return ControlProtocol.EXIT_BAD_REQUEST;
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            err.println("cqkd-client: the command must be one line");
            return ControlProtocol.EXIT_BAD_REQUEST;
        }
        return exchange(port, timeout, line, out, err);
    }

    private static int exchange(int port, int timeoutSeconds, String line, PrintStream out, PrintStream err) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        String where = "127.0.0.1:" + port;
        try (Socket socket = new Socket()) {
            try {
                socket.connect(address, CONNECT_TIMEOUT_MS);
            } catch (ConnectException e) {
                err.println("cqkd-client: container not reachable on " + where
                        + " (connection refused; is bin/cqkd running, with this control port?)");
                return ControlProtocol.EXIT_UNREACHABLE;
            } catch (IOException e) {
                err.println("cqkd-client: container not reachable on " + where + " (" + e.getMessage() + ")");
                return ControlProtocol.EXIT_UNREACHABLE;
            }
            socket.setSoTimeout(timeoutSeconds * 1000);
            OutputStream os = socket.getOutputStream();
            os.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String reply;
            while ((reply = in.readLine()) != null) {
                if (reply.isEmpty()) {
                    continue;
                }
                char tag = reply.charAt(0);
                String text = reply.length() > 2 ? reply.substring(2) : "";
                if (tag == ControlProtocol.OUT) {
                    out.println(text);
                } else if (tag == ControlProtocol.ERR) {
                    err.println(text);
                } else if (tag == ControlProtocol.EXIT) {
                    try {
                        return Integer.parseInt(text.trim());
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
            err.println("cqkd-client: the container closed the connection without a status");
            return ControlProtocol.EXIT_FAILED;
        } catch (SocketTimeoutException e) {
            err.println("cqkd-client: no answer from " + where + " within " + timeoutSeconds + " s");
            return ControlProtocol.EXIT_TIMEOUT;
        } catch (IOException e) {
            err.println("cqkd-client: connection to " + where + " failed (" + e.getMessage() + ")");
            return ControlProtocol.EXIT_UNREACHABLE;
        }
    }

    private static int number(String[] args, int i, String option, int min, int max) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a number " + min + "-" + max + ", got '" + args[i] + "'");
    }
}
