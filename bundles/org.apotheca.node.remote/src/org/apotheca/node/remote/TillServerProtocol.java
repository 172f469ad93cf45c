package org.apotheca.node.remote;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import org.apotheca.node.api.NodeService;
import org.apotheca.node.remote.TillProtocol.Op;
import org.eclipse.net4j.buffer.IBuffer;
import org.eclipse.net4j.channel.IChannel;
import org.eclipse.net4j.internal.tcp.TCPConnector;
import org.eclipse.net4j.signal.SignalProtocol;
import org.eclipse.net4j.signal.SignalReactor;
import org.eclipse.net4j.util.factory.ProductCreationException;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.eclipse.spi.net4j.ServerProtocolFactory;

/**
 * The node's end of one till's channel. Each incoming call is a Net4j signal, run on a thread of its own from the
 * endpoint's pool (see {@link #getExecutorService()}), so a long call (a sale writing through to central) holds one
 * thread and never another till's calls, nor this till's next ones.
 */
final class TillServerProtocol extends SignalProtocol<NodeService> {

  static final Logger LOG = Logger.getLogger("org.apotheca.node.remote.TillEndpoint");

  /** Correlation ids of the calls running on this channel: their later buffers carry no signal id to check. */
  private final Set<Integer> running = ConcurrentHashMap.newKeySet();
  private volatile boolean refused;
  private volatile String peer;
  private final ExecutorService calls;

  TillServerProtocol(NodeService service, ExecutorService calls) {
    super(TillProtocol.NAME);
    setInfraStructure(service);
    this.calls = calls;
  }

  /**
   * Where Net4j runs this channel's signals. Not the container's pool, which Net4j would use: it is shared with
   * CDO and, once its 10 core threads are busy, queues new work behind running work instead of always starting a
   * thread (with 12 concurrent one-second calls the last two started a second late). The till pool starts a
   * thread for every call that finds none idle.
   */
  @Override
  public ExecutorService getExecutorService() {
    return calls;
  }

  @Override
  public int getVersion() {
    return TillProtocol.VERSION;
  }

  @Override
  protected SignalReactor createSignalReactor(short signalID) {
    Op op = Op.of(signalID);
    return op == null ? null : new TillIndication(this, op);
  }

  /**
   * Lets through only the calls of the till protocol. Net4j itself would also run its built-in signals for any
   * peer: one of them deserializes a Java Throwable from the wire, which a node must never do for a LAN client;
   * and an unknown signal id would fail in Net4j's receive thread. A till that sends either is not a till of this
   * version: its channel is closed (its other channels, CDO's, are not touched).
   */
  @Override
  public void handleBuffer(IBuffer buffer) {
    if (refused) {
      buffer.release();
      return;
    }
    ByteBuffer bytes = buffer.getByteBuffer();
    int at = bytes.position();
    int correlation = bytes.remaining() >= 4 ? bytes.getInt(at) : 0;
    if (correlation > 0 && !running.contains(correlation)) {
      short signal = bytes.remaining() >= 6 ? bytes.getShort(at + 4) : -1;
      if (Op.of(signal) == null) {
        buffer.release();
        refuse("it sent signal " + signal + ", which the till protocol does not have");
        return;
      }
      running.add(correlation);
    } else if (correlation <= 0) {
      buffer.release();
      refuse("it sent an answer to a question the node never asked");
      return;
    }
    super.handleBuffer(buffer);
  }

  void finished(int correlation) {
    running.remove(correlation);
  }

  NodeService service() {
    return getInfraStructure();
  }

  /** The till's address for log lines ("/192.168.1.21:50412"), or "a till in this process". */
  String peer() {
    String p = peer;
    if (p == null) {
      p = "a till in this process";
      IChannel channel = getChannel();
      if (channel != null && channel.getMultiplexer() instanceof TCPConnector tcp) {
        SocketChannel socket = tcp.getSocketChannel();
        try {
          SocketAddress remote = socket == null ? null : socket.getRemoteAddress();
          p = remote == null ? "a till on the LAN" : "the till at " + remote;
        } catch (IOException e) {
          p = "a till on the LAN";
        }
      }
      peer = p;
    }
    return p;
  }

  private void refuse(String why) {
    refused = true;
    IChannel channel = getChannel();
    LOG.warning(() -> "Closing the till protocol channel of " + peer() + ": " + why);
    if (channel != null) {
      // not on this thread: it is Net4j's receive thread for the channel, and closing waits for running calls
      getExecutorService().execute(() -> LifecycleUtil.deactivate(channel));
    }
  }

  /** Creates the node's end of a till's channel; registered in the node's container by {@link TillEndpoint}. */
  static final class Factory extends ServerProtocolFactory {

    private final NodeService service;
    final ExecutorService calls;

    Factory(NodeService service) {
      super(TillProtocol.NAME);
      this.service = service;
      this.calls = callPool();
    }

    @Override
    public Object create(String description) throws ProductCreationException {
      return new TillServerProtocol(service, calls);
    }

    /**
     * No queue and no thread limit, like Net4j's own pool: a pharmacy has a handful of tills with a few calls each
     * in flight, and a handoff queue is the only kind that never parks a call behind a slow one. Idle threads end
     * after a minute.
     */
    private static ExecutorService callPool() {
      AtomicInteger count = new AtomicInteger();
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread thread = new Thread(r, "apotheca-till-call-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
    }
  }
}
