/*
 * valuepack.h — the public interface of libvaluepack.
 *
 * The library turns one customer account (a JSON file, see schema/account.schema.json)
 * into a computed model and the documents a customer-success team brings to the
 * customer. The flow is always
 *
 *     vp_account_load()  ->  vp_report_compute()  ->  vp_*_render() / vp_report_to_json()
 *
 * Conventions (after libgit2 and libxlsxwriter):
 *   - every public name starts with vp_ / VP_;
 *   - functions that can fail return an int (0 = VP_OK, else a vp_error) and put their
 *     result in the first (out) parameter;
 *   - every _new/_load has a _free that accepts NULL;
 *   - the details of a failure (file, JSON path, line:column, what was expected) are
 *     collected in a vp_diag owned by the caller.
 */
#ifndef VALUEPACK_H
#define VALUEPACK_H

#include "valuepack/common.h"
#include "valuepack/account.h"
#include "valuepack/templates.h"
#include "valuepack/report.h"
#include "valuepack/documents.h"
#include "valuepack/batch.h"

#endif
