// Starts DynamoDB Local exactly as its own main class does (same command-line options), but with
// its HTTP connector bound to 127.0.0.1, so that only this machine can reach it. DynamoDB Local
// (ServerRunner → DynamoDBProxyServer) creates a Jetty `new Server(port)`, whose connector listens
// on every interface, and offers no option or system property for the host: this sets the host of
// that connector before it starts. Compiled once by infra/local/dynamodb-local.ts.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class LoopbackDynamoDbLocal {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof AbstractNetworkConnector network) {
        network.setHost(HOST);
        bound++;
      }
    }
    if (bound == 0) {
      System.err.println("LoopbackDynamoDbLocal: no network connector found; refusing to listen on every interface.");
      System.exit(70);
    }
    proxy.start(); // on a bind failure it prints the reason and stops Jetty
    if (!jetty.isStarted()) System.exit(1);
    System.out.println("Listening on " + HOST + " only.");
  }
}
