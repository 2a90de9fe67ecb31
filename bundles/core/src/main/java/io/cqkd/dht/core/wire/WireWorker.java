package io.cqkd.dht.core.wire;

/**
 * One worker of a {@link Message.RegisterWorkers}: admitted or renewed ({@code live}) or gone.
 *
 * @param worker 20-byte node id
 * @param ip     4 or 16 address bytes (zeros when gone)
 * @param port   UDP port (1-65535)
 * @param live   true: register or refresh; false: the session ended (left or lapsed)
 */
public record WireWorker(byte[] worker, byte[] ip, int port, boolean live) {
}
