package io.cqkd.dht.shell.control;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs a command line in a fresh Gogo session, as the console would: the result, when there is
 * one, is formatted and printed; an exception is the command's failure.
 */
final class GogoRunner implements CommandRunner {
    private final CommandProcessor processor;

    GogoRunner(CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public int run(String commandLine, PrintStream out, PrintStream err) throws Exception {
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
        try {
            Object result = session.execute(commandLine);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                String s = text == null ? String.valueOf(result) : text.toString();
                if (s.endsWith("\n")) {
                    out.print(s);
                } else {
                    out.println(s);
                }
            }
            return ControlProtocol.EXIT_OK;
        } finally {
            out.flush();
            err.flush();
            session.close();
        }
    }
}
