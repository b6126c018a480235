package net.corosio.tck;

/** The rules of SPEC.md section 2 connect and accept. */
public abstract class ConnectRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected ConnectRules(TransportKit owner) {
        super(owner);
    }
}
