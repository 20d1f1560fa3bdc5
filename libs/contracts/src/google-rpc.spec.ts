import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { BadRequestSchema, ErrorInfoSchema, StatusSchema } from './index';

// Clients decode rich status with the official google.rpc definitions, so our minimal copies must
// keep their type names and field numbers exactly.
describe('google.rpc copies', () => {
  it.each([
    [StatusSchema, 'google.rpc.Status', { code: 1, message: 2, details: 3 }],
    [ErrorInfoSchema, 'google.rpc.ErrorInfo', { reason: 1, domain: 2, metadata: 3 }],
    [BadRequestSchema, 'google.rpc.BadRequest', { fieldViolations: 1 }],
  ] as const)(
    'keeps the official type name and field numbers of %#',
    (schema, typeName, numbers) => {
      expect(schema.typeName).toBe(typeName);
      const actual = Object.fromEntries(
        schema.fields.map((field) => [field.localName, field.number]),
      );
      expect(actual).toEqual(numbers);
    },
  );

  it('keeps BadRequest.FieldViolation nested with field = 1 and description = 2', () => {
    const violation = BadRequestSchema.field.fieldViolations;
    expect(violation.message?.typeName).toBe('google.rpc.BadRequest.FieldViolation');
    expect(violation.message?.fields.map((f) => [f.name, f.number])).toEqual([
      ['field', 1],
      ['description', 2],
    ]);
  });

  it('round-trips a Status carrying ErrorInfo and BadRequest details', () => {
    const status = create(StatusSchema, {
      code: 3,
      message: 'name is required',
      details: [
        anyPack(ErrorInfoSchema, create(ErrorInfoSchema, { reason: 'NAME_MISSING', domain: 'x' })),
        anyPack(
          BadRequestSchema,
          create(BadRequestSchema, {
            fieldViolations: [{ field: 'name', description: 'required' }],
          }),
        ),
      ],
    });
    const decoded = fromBinary(StatusSchema, toBinary(StatusSchema, status));
    expect(decoded.details.map((d) => d.typeUrl)).toEqual([
      'type.googleapis.com/google.rpc.ErrorInfo',
      'type.googleapis.com/google.rpc.BadRequest',
    ]);
    expect(anyUnpack(decoded.details[1], BadRequestSchema)?.fieldViolations[0]?.field).toBe('name');
  });
});
