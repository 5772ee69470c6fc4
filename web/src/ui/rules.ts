// First: configures zod before the server's schemas below are built.
import './zod-config.ts';
import { contactDetails, identityDocument, nameText, personPatchBody } from '../../../src/people/person.schema.ts';
import { z } from 'zod';
import { text } from '../../../src/platform/http/schemas.ts';


/**
 * The server's own field rules (its `*.schema.ts`), shared with the forms instead of copied: what a
 * form accepts, the API accepts. Each form keeps its own translated messages.
 */
export const personRules = {
  name: nameText,
  documentNumber: identityDocument.shape.number,
  phone: contactDetails.shape.phone.unwrap(),
  email: contactDetails.shape.email.unwrap(),
  correctionReason: personPatchBody.shape.reason.unwrap(),
};

/**
 * The rules of src/cases/case.schema.ts (casePatchBody, servicePatch), built from the same `text`
 * helper and limits: that module reads the deployment's time zone, which a browser does not have.
 */
export const caseRules = {
  summary: text(10_000),
  providerUnit: text(200),
  serviceNotes: text(2000),
};

/**
 * The rules of a rescue or transfer (src/resources/resources.schema.ts: `people`, `reason`), with the
 * same limits; that module also reads the deployment's time zone.
 */
export const operationRules = {
  people: z.string().trim().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(1).max(10_000)),
  reason: text(500),
};
