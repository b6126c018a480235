package net.corosio.tck;

/** The rules of SPEC.md section 8 TLS. */
public abstract class TlsRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TlsRules(TransportKit owner) {
        super(owner);
    }
}
