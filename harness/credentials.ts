/**
 * The credential store n8n-core asks for credential values and for authenticated requests.
 * It does what this package needs and nothing more: values given by credential type name,
 * returned with the type's defaults added, and a generic `authenticate` object applied with
 * its `$credentials` expressions resolved. OAuth, pre-authentication, function
 * `authenticate` and credential updates throw a "not supported by this harness" error.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeHelpers, UnexpectedError } from 'n8n-workflow';

export class NotSupportedByHarnessError extends UnexpectedError {
	constructor(what: string) {
		super(`${what} is not supported by this harness`);
		this.name = 'NotSupportedByHarnessError';
	}
}

/** The values n8n would hand a node: the given ones, plus each property's default. */
export function withCredentialDefaults(
	credentialType: ICredentialType,
	values: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const filled = NodeHelpers.getNodeParameters(credentialType.properties, values as INodeParameters, true, false, null, null);
	return (filled ?? {}) as ICredentialDataDecryptedObject;
}

function resolveWithCredentials(value: string, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
	return resolved === undefined || resolved === null ? '' : String(resolved);
}

export class HarnessCredentials extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	/**
	 * `values` maps a credential type name to its values. A type in `types` without values
	 * is known, but a node asking for it fails, as in n8n when the credential does not exist.
	 */
	constructor(
		types: readonly ICredentialType[],
		private readonly values: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		for (const type of types) this.types.set(type.name, type);
		const unknown = Object.keys(values).filter((name) => !this.types.has(name));
		if (unknown.length > 0) {
			throw new UnexpectedError(
				`Credential values given for unknown credential type(s) ${unknown.join(', ')}: pass their ICredentialType too`,
			);
		}
	}

	private type(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new UnexpectedError(`Unknown credential type "${name}": pass its ICredentialType to the harness`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		if (parents.length > 0)
			throw new NotSupportedByHarnessError(`Credential type "${name}" extends ${parents.join(', ')}: inheriting (OAuth) credentials`);
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (authenticate === undefined) return requestOptions as IHttpRequestOptions;
		if (typeof authenticate === 'function' || authenticate.type !== 'generic') {
			throw new NotSupportedByHarnessError(`Credential type "${typeName}": an authenticate other than a generic object`);
		}
		if (!workflow || !node) throw new UnexpectedError('A generic authenticate needs the workflow and the node to resolve $credentials');
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [location, fields] of Object.entries(authenticate.properties)) {
			const into = (target[location] ??= {});
			for (const [key, value] of Object.entries(fields as Record<string, string>)) {
				// A plain assignment, so that a string body fails loudly as it does in n8n.
				into[key] = resolveWithCredentials(value, credentials, workflow, node);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** n8n-core asks before every authenticated request; only "nothing to do" is supported. */
	async preAuthentication(
		_helpers: unknown,
		_credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (this.type(typeName).preAuthentication) throw new NotSupportedByHarnessError(`Credential type "${typeName}": preAuthentication`);
		return undefined;
	}

	async runPreAuthentication(): Promise<never> {
		throw new NotSupportedByHarnessError('runPreAuthentication');
	}

	async getCredentials(): Promise<ICredentials> {
		throw new NotSupportedByHarnessError('getCredentials (encrypted credentials)');
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject> {
		const type = this.type(typeName);
		const values = this.values[typeName];
		if (values === undefined) {
			throw new UnexpectedError(
				`Credential with ID "${nodeCredentials.id ?? ''}" (${nodeCredentials.name}) does not exist for type "${typeName}": no values were given for it`,
			);
		}
		return withCredentialDefaults(type, values);
	}

	async updateCredentials(): Promise<never> {
		throw new NotSupportedByHarnessError('updateCredentials');
	}

	async updateCredentialsOauthTokenData(): Promise<never> {
		throw new NotSupportedByHarnessError('updateCredentialsOauthTokenData (OAuth)');
	}

	getCredentialsProperties(): INodeProperties[] {
		throw new NotSupportedByHarnessError('getCredentialsProperties');
	}
}
