package org.apotheca.node.remote;

import java.io.InputStream;
import java.util.Arrays;
import java.util.logging.Level;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.remote.TillProtocol.Op;
import org.eclipse.net4j.signal.IndicationWithResponse;
import org.eclipse.net4j.util.io.ExtendedDataInputStream;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;

/**
 * One call from a till, served by the node's {@code NodeService}.
 * <p>
 * Nothing escapes {@link #indicating} or {@link #responding}: Net4j answers an escaping exception with its own
 * remote-exception signal, which carries the Java-serialized exception (class names, stack, messages) to the till.
 * Every outcome is instead an answer of the till protocol: the value, the service's refusal, or NOT_RECORDED with
 * a plain sentence while the node's log gets the stack.
 */
final class TillIndication extends IndicationWithResponse {

  static final String FAILED = "The pharmacy node failed while doing this and nothing was confirmed."
      + " It is safe to try again; the node's log has the details.";
  static final String UNREADABLE = "The pharmacy node could not read this till's request, so it did nothing."
      + " Is the till running the same version of Apotheca as the node?";

  private final Op op;
  private byte[] answer;

  TillIndication(TillServerProtocol protocol, Op op) {
    super(protocol, op.signal, op.word());
    this.op = op;
  }

  @Override
  public TillServerProtocol getProtocol() {
    return (TillServerProtocol) super.getProtocol();
  }

  @Override
  protected void indicating(ExtendedDataInputStream in) {
    Object[] args;
    try {
      args = TillCodec.readArguments(in, op);
    } catch (Throwable t) { // a malformed request, or the till went away halfway through sending it
      drain(in);
      TillServerProtocol.LOG.log(Level.WARNING, "Could not read a " + op.word() + " call from " + getProtocol().peer()
          + ": " + t); // the codec's messages describe shapes, never the values (tokens, passwords) being read
      answer = TillCodec.refusal(Refusal.BAD_INPUT, UNREADABLE);
      return;
    }
    try {
      answer = TillCodec.answer(op, op.method.invoke(getProtocol().service(), args));
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
          ? ite.getCause() : t;
      if (cause instanceof NodeException refused) {
        TillServerProtocol.LOG.fine(() -> "Refused " + op.word() + " from " + getProtocol().peer() + ": " + refused.refusal());
        answer = TillCodec.refusal(refused.refusal(), refused.getMessage());
      } else {
        TillServerProtocol.LOG.log(Level.SEVERE, "A " + op.word() + " call from " + getProtocol().peer()
            + " failed in the node; the till was told NOT_RECORDED", cause);
        answer = TillCodec.refusal(Refusal.NOT_RECORDED, FAILED);
      }
    } finally {
      for (Object a : args) {
        if (a instanceof char[] secret) {
          Arrays.fill(secret, '\0');
        }
      }
    }
  }

  @Override
  protected void responding(ExtendedDataOutputStream out) throws Exception {
    try {
      out.write(answer);
    } finally {
      getProtocol().finished(-getCorrelationID());
    }
  }

  /** Reads what is left of a request that could not be decoded, so its later buffers are not taken for a new call. */
  private static void drain(InputStream in) {
    try {
      byte[] skip = new byte[4096];
      while (in.read(skip) >= 0) {
        // discard
      }
    } catch (Throwable t) {
      // the stream ended badly (timeout, closed): nothing more will come for this call
    }
  }
}
