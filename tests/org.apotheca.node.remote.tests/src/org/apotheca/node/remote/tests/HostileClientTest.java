package org.apotheca.node.remote.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apotheca.node.remote.RemoteNodeService;
import org.eclipse.net4j.Net4jUtil;
import org.eclipse.net4j.connector.IConnector;
import org.eclipse.net4j.signal.Request;
import org.eclipse.net4j.signal.RequestWithConfirmation;
import org.eclipse.net4j.signal.SignalProtocol;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.io.ExtendedDataInputStream;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;
import org.eclipse.net4j.util.io.ExtendedIOUtil;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.eclipse.spi.net4j.ConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Peers on the LAN that are not well-behaved tills: the node goes on serving the tills that are. */
class HostileClientTest {

  private TransportTestDouble node;
  private TestNode server;
  private RemoteNodeService till;
  private IManagedContainer peers;

  @BeforeEach
  void start() {
    node = new TransportTestDouble();
    server = new TestNode(node);
    till = new RemoteNodeService(server.address());
    peers = ContainerUtil.createContainer();
    Net4jUtil.prepareContainer(peers);
    TCPUtil.prepareContainer(peers);
    peers.activate();
  }

  @AfterEach
  void stop() {
    till.close();
    LifecycleUtil.deactivate(peers);
    server.close();
  }

  @Test
  void aSocketThatSendsThreeBytesAndIdlesDoesNotStopTheTills() throws Exception {
    assertEquals(Samples.state(), till.state());
    try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      OutputStream out = idle.getOutputStream();
      out.write(new byte[] { 0, 7, 42 });
      out.flush();
      TransportTestDouble.sleep(200);

      long millis = timed(() -> assertEquals(Samples.state(), till.state()));
      assertTrue(millis < 1_000, "a connected till waited " + millis + " ms");
      try (RemoteNodeService newcomer = new RemoteNodeService(server.address())) {
        millis = timed(() -> assertEquals(Samples.state(), newcomer.state()));
        assertTrue(millis < 2_000, "a till connecting now waited " + millis + " ms");
      }
      assertFalse(idle.isClosed());
    }
  }

  /**
   * Net4j's own remote-exception signal (-1) carries a Java-serialized Throwable that Net4j would deserialize; the
   * node must not for a till-protocol channel. It closes that channel and serves the others.
   */
  @Test
  void aPeerSendingNet4jsExceptionSignalLosesItsChannel() throws Exception {
    for (short signal : new short[] { -1, 99 }) {
      try (LogCapture log = new LogCapture()) {
        SignalProtocol<Object> peer = peer();
        new Request(peer, signal) {
          @Override
          protected void requesting(ExtendedDataOutputStream out) throws Exception {
            out.writeInt(1);
            out.writeBoolean(false);
            out.writeString("not a till");
            out.writeByteArray(ExtendedIOUtil.serializeThrowable(new IllegalStateException("payload")));
          }
        }.sendAsync();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (peer.isActive() && System.nanoTime() < deadline) {
          TransportTestDouble.sleep(10);
        }
        assertFalse(peer.isActive(), "the node kept the channel of a peer that sent signal " + signal);
        assertTrue(log.records().stream().anyMatch(r -> r.getLevel() == Level.WARNING
            && r.getMessage().contains("signal " + signal)), log.text());
        assertEquals(Samples.state(), till.state());
      }
    }
  }

  @Test
  void aRequestTheNodeCannotReadIsRefusedAndTheChannelGoesOn() throws Exception {
    SignalProtocol<Object> peer = peer();
    // search(text, limit) whose text says "5 chars follow" and then ends
    String refusal = new RequestWithConfirmation<String>(peer, (short) 4) {
      @Override
      protected void requesting(ExtendedDataOutputStream out) throws Exception {
        out.writeBoolean(true);
        out.writeInt(5);
      }

      @Override
      protected String confirming(ExtendedDataInputStream in) throws Exception {
        assertEquals(1, in.readByte(), "refused");
        assertTrue(in.readBoolean());
        in.readInt();
        return in.readUTF();
      }
    }.send(5_000);
    assertEquals("BAD_INPUT", refusal);
    assertTrue(node.calls("search").isEmpty());

    byte tag = new RequestWithConfirmation<Byte>(peer, (short) 13) { // state()
      @Override
      protected void requesting(ExtendedDataOutputStream out) {
      }

      @Override
      protected Byte confirming(ExtendedDataInputStream in) throws Exception {
        return in.readByte();
      }
    }.send(5_000);
    assertEquals(0, tag, "answered");
    assertTrue(peer.isActive());
  }

  /** A Net4j peer that opens a channel of the till protocol as a till would, then sends what a till would not. */
  private SignalProtocol<Object> peer() throws Exception {
    int version = tillProtocolVersion();
    // not TCPUtil.getConnector: it waits for the activation event in a way that can miss it and sit out 10 s
    IConnector connector = (IConnector) peers.getElement(ConnectorFactory.PRODUCT_GROUP, TCPUtil.FACTORY_TYPE,
        server.address(), false);
    connector.connect(5_000);
    SignalProtocol<Object> peer = new SignalProtocol<>("apotheca-till") {
      @Override
      public int getVersion() {
        return version;
      }
    };
    peer.open(connector);
    return peer;
  }

  /** A hostile peer would read it off a till's first bytes; the test reads it off the class. */
  private static int tillProtocolVersion() throws Exception {
    Class<?> protocol = RemoteNodeService.class.getClassLoader().loadClass("org.apotheca.node.remote.TillProtocol");
    Field version = protocol.getDeclaredField("VERSION");
    version.setAccessible(true);
    return version.getInt(null);
  }

  private static long timed(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
