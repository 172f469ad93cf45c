package org.apotheca.security.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's context with every socket, server socket and engine set to TLS 1.3 alone and to require a client
 * certificate when it serves. An {@code SSLContext.getInstance("TLSv1.3")} on its own still enables TLS 1.2 (and a
 * server socket asks for no client certificate), and there is no way to change a context's defaults, only each
 * socket's: so the context hands out nothing that is not set already.
 */
final class TlsOnlyContext extends SSLContext {

  private static final String[] PROTOCOLS = { TlsContexts.TLS13 };

  TlsOnlyContext(SSLContext delegate) {
    super(new Spi(delegate), delegate.getProvider(), TlsContexts.TLS13);
  }

  static SSLSocket configure(SSLSocket socket) {
    socket.setEnabledProtocols(PROTOCOLS);
    // Needed only in server mode; JSSE ignores it in client mode and keeps it if the mode is switched later.
    socket.setNeedClientAuth(true);
    return socket;
  }

  private static SSLEngine configure(SSLEngine engine) {
    engine.setEnabledProtocols(PROTOCOLS);
    engine.setNeedClientAuth(true);
    return engine;
  }

  private static SSLParameters configure(SSLParameters parameters) {
    parameters.setProtocols(PROTOCOLS);
    parameters.setNeedClientAuth(true);
    return parameters;
  }

  private static final class Spi extends SSLContextSpi {

    private final SSLContext delegate;

    Spi(SSLContext delegate) {
      this.delegate = delegate;
    }

    /** Refused: a second init would replace the pinned trust decision, e.g. with the JDK's defaults. */
    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("this TLS context is set up once, by TlsContexts.create");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new SocketFactory(delegate.getSocketFactory());
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ServerSocketFactory(delegate.getServerSocketFactory());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return configure(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return configure(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return configure(delegate.getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  private static final class SocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    SocketFactory(SSLSocketFactory delegate) {
      this.delegate = delegate;
    }

    private static Socket configured(Socket socket) {
      return configure((SSLSocket) socket);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return configured(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return configured(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
      return configured(delegate.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return configured(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return configured(delegate.createSocket(address, port, localAddress, localPort));
    }
  }

  private static final class ServerSocketFactory extends SSLServerSocketFactory {

    private final SSLServerSocketFactory delegate;

    ServerSocketFactory(SSLServerSocketFactory delegate) {
      this.delegate = delegate;
    }

    private static ServerSocket configured(ServerSocket socket) {
      SSLServerSocket s = (SSLServerSocket) socket;
      s.setEnabledProtocols(PROTOCOLS);
      s.setNeedClientAuth(true);
      return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return configured(delegate.createServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return configured(delegate.createServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return configured(delegate.createServerSocket(port, backlog));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
      return configured(delegate.createServerSocket(port, backlog, ifAddress));
    }
  }
}
