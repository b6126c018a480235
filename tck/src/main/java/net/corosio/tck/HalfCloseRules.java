package net.corosio.tck;

/** The rules of SPEC.md section 4 half-close and end-of-stream. */
public abstract class HalfCloseRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected HalfCloseRules(TransportKit owner) {
        super(owner);
    }
}
