package org.apotheca.node.remote;

import org.apotheca.node.api.Refusal;
import org.apotheca.node.remote.TillProtocol.Op;
import org.eclipse.net4j.buffer.BufferInputStream;
import org.eclipse.net4j.signal.RemoteException;
import org.eclipse.net4j.signal.RequestWithConfirmation;
import org.eclipse.net4j.util.io.ExtendedDataInputStream;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;

/** One call of a till to its node: the request already encoded, the answer read by the operation's result type. */
final class TillCall extends RequestWithConfirmation<TillCall.Outcome> {

  /** The node's answer: a value, or a refusal code with its message. */
  record Outcome(Object value, Refusal refusal, String message) {
  }

  private final Op op;
  private final byte[] request;
  private volatile String abandoned;

  TillCall(TillClientProtocol protocol, Op op, byte[] request) {
    super(protocol, op.signal, op.word());
    this.op = op;
    this.request = request;
  }

  @Override
  protected void requesting(ExtendedDataOutputStream out) throws Exception {
    out.write(request);
  }

  @Override
  protected Outcome confirming(ExtendedDataInputStream in) throws Exception {
    byte tag = in.readByte();
    if (tag == TillProtocol.ANSWER) {
      return new Outcome(TillCodec.read(in, op.result), null, null);
    }
    if (tag == TillProtocol.REFUSED) {
      String code = (String) TillCodec.read(in, String.class);
      String message = (String) TillCodec.read(in, String.class);
      return new Outcome(null, refusal(code), message);
    }
    throw new TillCodec.Malformed("an answer tagged " + tag);
  }

  /**
   * Makes a call that is waiting for its answer give up now (the link is gone), instead of when its timeout runs
   * out. Net4j's input stream checks for this exception every 100 ms while it waits.
   */
  void abandon(String reason) {
    abandoned = reason;
    BufferInputStream in = getBufferInputStream();
    if (in != null) {
      in.setException(new RemoteException(reason, false));
    }
  }

  /** Why this call was abandoned, or null. */
  String abandoned() {
    return abandoned;
  }

  private static Refusal refusal(String code) {
    for (Refusal r : Refusal.values()) {
      if (r.name().equals(code)) {
        return r;
      }
    }
    return Refusal.NOT_RECORDED; // cannot happen between equal protocol versions
  }
}
