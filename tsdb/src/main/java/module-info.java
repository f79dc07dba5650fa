/** The in-memory window store; see the package documentation of {@code dev.kedaotel.tsdb}. */
module dev.kedaotel.tsdb {
    requires transitive dev.kedaotel.model;
    requires org.agrona;

    exports dev.kedaotel.tsdb;
}
