package org.apotheca.node.remote;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.net4j.buffer.IBuffer;
import org.eclipse.net4j.channel.IChannel;
import org.eclipse.net4j.signal.RemoteException;
import org.eclipse.net4j.signal.SignalProtocol;
import org.eclipse.net4j.signal.SignalReactor;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;

/** The till's end of the till protocol: it only asks; the node never starts a signal of its own. */
final class TillClientProtocol extends SignalProtocol<Object> {

  private final Set<TillCall> inFlight = ConcurrentHashMap.newKeySet();
  private volatile String lostBecause = "the connection to the node was lost before it answered";

  TillClientProtocol() {
    super(TillProtocol.NAME);
  }

  @Override
  public int getVersion() {
    return TillProtocol.VERSION;
  }

  /** Sends a call and waits for its answer; a call still waiting when the link goes is abandoned at once. */
  TillCall.Outcome send(TillCall call, long timeoutMillis) throws Exception {
    inFlight.add(call);
    try {
      if (!isActive()) {
        call.abandon(lostBecause);
        throw new RemoteException(lostBecause, false);
      }
      return call.send(timeoutMillis);
    } finally {
      inFlight.remove(call);
    }
  }

  /** Ends the link on purpose: calls still waiting give up with this reason. */
  void close(String reason) {
    lostBecause = reason;
    close();
  }

  @Override
  public void handleBuffer(IBuffer buffer) {
    ByteBuffer bytes = buffer.getByteBuffer();
    if (bytes.remaining() >= 4 && bytes.getInt(bytes.position()) < 0) {
      super.handleBuffer(buffer); // an answer to one of this till's calls
      return;
    }
    // The node started a signal of its own. The till protocol has none; the only one Net4j sends by itself is its
    // remote-exception signal, whose payload is a Java-serialized Throwable: this till never deserializes it.
    buffer.release();
    IChannel channel = getChannel();
    if (channel != null && isActive()) {
      lostBecause = "the node sent something a till does not accept";
      getExecutorService().execute(() -> LifecycleUtil.deactivate(channel));
    }
  }

  @Override
  protected SignalReactor createSignalReactor(short signalID) {
    return null;
  }

  @Override
  protected void doBeforeDeactivate() throws Exception {
    // Net4j would wait up to 10 s here for the calls in flight, which wait for answers that cannot come any more
    for (TillCall call : inFlight) {
      call.abandon(lostBecause);
    }
    super.doBeforeDeactivate();
  }
}
